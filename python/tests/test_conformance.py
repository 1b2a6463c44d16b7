"""The repository's conformance suite (conformance/, see its README), run through the
installed Python package: the request and response vectors over loopback HTTP against a
small capturing server, the scenarios and flows against the emulator. One test per case."""

from __future__ import annotations

import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple, Union

import pytest

import kaleyra_verify as kv
from kaleyra_verify import CheckOutcome, Client, Generated, Validated
from kaleyra_verify.testing import Emulator, Fault

ROOT = Path(os.environ.get("KALEYRA_CONFORMANCE", Path(__file__).resolve().parents[2] / "conformance"))


def load(name: str) -> Any:
    return json.loads((ROOT / name).read_text())


REQUESTS = load("vectors/requests.json")
RESPONSES = load("vectors/responses.json")
SCENARIOS = load("scenarios.json")
FLOWS = load("flows.json")

# A file that lost its cases must not pass with nothing run.
MINIMUM = {"generate": 18, "validate": 6, "responses": 28, "scenarios": 51, "flows": 9}


def test_no_file_lost_its_cases() -> None:
    assert len(REQUESTS["generate"]) >= MINIMUM["generate"]
    assert len(REQUESTS["validate"]) >= MINIMUM["validate"]
    assert len(RESPONSES["cases"]) >= MINIMUM["responses"]
    assert len(SCENARIOS["scenarios"]) >= MINIMUM["scenarios"]
    assert len(FLOWS["flows"]) >= MINIMUM["flows"]


# ---- a loopback server that records each request and answers as told ----------------

Answer = Tuple[int, Dict[str, str], bytes]


class Recorder:
    def __init__(self) -> None:
        self.bodies: List[Tuple[str, bytes]] = []
        self.answer: Callable[[str, bytes], Answer] = lambda path, body: (500, {}, b"")
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                recorder.bodies.append((self.path, body))
                status, headers, out = recorder.answer(self.path, body)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def recorder() -> Iterator[Recorder]:
    r = Recorder()
    yield r
    r.close()


KEY = "conformance-key-5f1d2c"


def recorder_client(recorder: Recorder) -> Client:
    return Client("HXCONFORMANCE", KEY, base_url=recorder.url, max_attempts=1, timeout=10.0)


def generate_input(case_input: Dict[str, Optional[str]]) -> Dict[str, Optional[str]]:
    return {k: case_input.get(k) for k in ("mobile", "email", "flow_id", "otp")}


def assert_key_absent(e: BaseException, key: str) -> None:
    assert key not in f"{e} {e!r} {getattr(e, '__dict__', {})}"


# ---- vectors/requests.json ---------------------------------------------------------


@pytest.mark.parametrize("case", REQUESTS["generate"], ids=lambda c: c["name"])
def test_request_vector_generate(recorder: Recorder, case: Dict[str, Any]) -> None:
    recorder.bodies.clear()
    ok_body = json.dumps({"data": {"verify_id": "v-1", "to": {"mobile": "1"}, "flow_id": "f"}})
    recorder.answer = lambda path, body: (200, {"Content-Type": "application/json"}, ok_body.encode())
    with recorder_client(recorder) as c:
        if "error" in case["expect"]:
            with pytest.raises(kv.VerifyError) as info:
                c.generate(**generate_input(case["input"]))
            assert info.value.code == case["expect"]["error"]
            assert info.value.status is None  # refused locally
            assert recorder.bodies == []
        else:
            c.generate(**generate_input(case["input"]))
            assert len(recorder.bodies) == 1
            path, body = recorder.bodies[0]
            assert path.endswith("/verify")
            assert json.loads(body) == case["expect"]["ok"]


@pytest.mark.parametrize("case", REQUESTS["validate"], ids=lambda c: c["name"])
def test_request_vector_validate(recorder: Recorder, case: Dict[str, Any]) -> None:
    recorder.bodies.clear()
    vid = case["input"].get("verify_id") or ""
    ok_body = json.dumps({"data": {"verify_id": vid, "message": "OTP verified successfully."}})
    recorder.answer = lambda path, body: (200, {"Content-Type": "application/json"}, ok_body.encode())
    with recorder_client(recorder) as c:
        args = (case["input"].get("verify_id") or "", case["input"].get("otp") or "")
        if "error" in case["expect"]:
            with pytest.raises(kv.VerifyError) as info:
                c.validate(*args)
            assert info.value.code == case["expect"]["error"]
            assert recorder.bodies == []
        else:
            assert c.validate(*args).verify_id == vid
            assert len(recorder.bodies) == 1
            assert json.loads(recorder.bodies[0][1]) == case["expect"]["ok"]


# ---- vectors/responses.json --------------------------------------------------------


@pytest.mark.parametrize("case", RESPONSES["cases"], ids=lambda c: c["name"])
def test_response_vector(recorder: Recorder, case: Dict[str, Any]) -> None:
    answer: Answer = (case["status"], dict(case.get("headers") or {}), case["body"].encode("utf-8"))
    recorder.answer = lambda path, body: answer
    expect = case["expect"]
    with recorder_client(recorder) as c:
        call: Callable[[], Union[Generated, Validated]]
        if case["endpoint"] == "generate":
            call = lambda: c.generate("+12025550123")  # noqa: E731
        else:
            call = lambda: c.validate("4d3d0959-80aa-43bb-be11-5815ce0795a1", "123456")  # noqa: E731
        if "ok" in expect:
            got = call()
            for field, want in expect["ok"].items():
                assert getattr(got, field) == want, field
            return
        with pytest.raises(kv.VerifyError) as info:
            call()
        e = info.value
        assert_key_absent(e, KEY)
        # A generate whose answer could not be trusted is outcome_unknown around its cause.
        kind = e.cause_kind if e.kind == "outcome_unknown" else e.kind
        if expect.get("decode_error"):
            assert kind == "decode", repr(e)
            return
        want = expect["error"]
        assert kind == want["category"], repr(e)
        assert e.code == want["code"]
        assert e.status == case["status"]
        assert e.error_type == want["type"]
        assert e.parameter == want["parameter"]
        assert e.service_message == want["message"]
        assert e.reference == want["reference"]
        if "retry_after_s" in want:
            assert e.retry_after == float(want["retry_after_s"])


# ---- scenarios.json and flows.json, against the emulator ----------------------------


def client_options(*layers: Dict[str, Any]) -> Dict[str, Any]:
    """ClientOptions JSON (milliseconds) to the Python keywords (seconds)."""
    out: Dict[str, Any] = {}
    for layer in layers:
        for key, value in layer.items():
            if key.endswith("_ms"):
                out[key[: -len("_ms")]] = value / 1000.0
            else:
                out[key] = value
    return out


def make_client(emu: Emulator, options: Dict[str, Any]) -> Client:
    sid = options.pop("sid", emu.sid)
    key = options.pop("api_key", emu.api_key)
    base_url = options.pop("base_url", emu.base_url)
    return Client(sid, key, base_url=base_url, **options)


def outcome_of(call: Callable[[], Any]) -> Tuple[Optional[Dict[str, Any]], Optional[kv.VerifyError]]:
    try:
        value = call()
    except kv.VerifyError as e:
        return None, e
    if isinstance(value, CheckOutcome):
        return {"outcome": value.value}, None
    names = ("verify_id", "mobile", "email", "flow_id", "message", "after_lost_attempt")
    return {n: getattr(value, n) for n in names if hasattr(value, n)}, None


def error_view(e: kv.VerifyError) -> Dict[str, Any]:
    return {
        "kind": e.kind,
        "cause_kind": e.cause_kind,
        "status": e.status,
        "code": e.code,
        "retry_after_ms": None if e.retry_after is None else round(e.retry_after * 1000),
        "parameter": e.parameter,
        "reference": e.reference,
        "type": e.error_type,
        "message": e.message,
    }


def compare(
    got: Optional[Dict[str, Any]], err: Optional[kv.VerifyError], want: Dict[str, Any], key: str
) -> None:
    if want["result"] == "ok":
        assert err is None, f"failed with {err!r}, expected {want}"
        assert got is not None
        for field, value in want.get("ok", {}).items():
            assert got.get(field) == value, f"{field}: got {got.get(field)!r}, expected {value!r}"
        if "verify_id" in got:
            assert got["verify_id"]
    else:
        assert err is not None, f"succeeded with {got}, expected {want}"
        assert_key_absent(err, key)
        view = error_view(err)
        for field, value in want.get("error", {}).items():
            assert view[field] == value, f"error {field}: got {view[field]!r}, expected {value!r} ({err!r})"


def count(what: str, got: int, want: Any) -> None:
    if want is None:
        return
    if isinstance(want, dict):
        assert got <= want["at_most"], f"{what}: {got}, expected at most {want['at_most']}"
    else:
        assert got == want, f"{what}: {got}, expected {want}"


def route_requests(emu: Emulator, route: str) -> int:
    return sum(emu.stats()["requests"].get(route, {}).values())


@pytest.mark.parametrize("case", SCENARIOS["scenarios"], ids=lambda c: c["name"])
def test_scenario(case: Dict[str, Any]) -> None:
    defaults = SCENARIOS["defaults"]
    mobile = defaults["mobile"]
    op = case["operation"]
    expect = case["expect"]
    with Emulator() as emu:
        with make_client(emu, client_options(defaults["client"], case.get("client", {}))) as c:
            call: Callable[[], Any]
            if op == "generate":
                call = lambda: c.generate(mobile)  # noqa: E731
            else:
                sent = c.generate(mobile)
                code = emu.last_code(sent.verify_id) or ""
                if case.get("otp", "right") == "wrong":
                    code = "111111" if code == "000000" else "000000"
                method = c.validate if op == "validate" else c.check
                call = lambda: method(sent.verify_id, code)  # noqa: E731
            for fault in case.get("faults", []):
                emu.inject(Fault(fault))
            started = time.monotonic()
            got, err = outcome_of(call)
            elapsed_ms = (time.monotonic() - started) * 1000
            compare(got, err, expect, emu.api_key)
            route = "generate" if op == "generate" else "validate"
            count(f"requests on {route}", route_requests(emu, route), expect.get("requests"))
            for status, n in expect.get("answered", {}).items():
                by_status = emu.stats()["requests"].get(route, {})
                count(f"answered {status} on {route}", by_status.get(status, 0), n)
            count("otps_generated", emu.stats()["otps_generated"], expect.get("otps_generated"))
            if "min_elapsed_ms" in expect:
                assert elapsed_ms >= expect["min_elapsed_ms"], elapsed_ms
            if "max_elapsed_ms" in expect:
                assert elapsed_ms < expect["max_elapsed_ms"], elapsed_ms
            later = expect.get("later")
            if later:
                time.sleep(later["after_ms"] / 1000)
                count(f"later requests on {route}", route_requests(emu, route), later.get("requests"))
                count("later otps_generated", emu.stats()["otps_generated"], later.get("otps_generated"))


def substitute(value: Any, variables: Dict[str, str]) -> Any:
    if isinstance(value, str) and value.startswith("$"):
        assert value[1:] in variables, f"unknown variable {value}"
        return variables[value[1:]]
    if isinstance(value, dict):
        return {k: substitute(v, variables) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, variables) for v in value]
    return value


@pytest.mark.parametrize("flow", FLOWS["flows"], ids=lambda f: f["name"])
def test_flow(flow: Dict[str, Any]) -> None:
    variables: Dict[str, str] = {}
    with Emulator() as emu:
        with make_client(emu, client_options(FLOWS["defaults"]["client"], flow.get("client", {}))) as c:
            for index, raw in enumerate(flow["steps"]):
                step = substitute(raw, variables)
                where = f"step {index} ({step['do']})"
                do = step["do"]
                if do in ("generate", "validate", "check"):
                    args = step.get("input", {})
                    call: Callable[[], Any]
                    if do == "generate":
                        call = lambda: c.generate(**generate_input(args))  # noqa: E731
                    else:
                        method = c.validate if do == "validate" else c.check
                        call = lambda: method(args.get("verify_id") or "", args.get("otp") or "")  # noqa: E731
                    got, err = outcome_of(call)
                    try:
                        compare(got, err, step["expect"], emu.api_key)
                    except AssertionError as e:
                        raise AssertionError(f"{where}: {e}") from None
                    if do == "generate" and "save" in step and got is not None:
                        variables[step["save"]] = got["verify_id"]
                elif do == "read_code":
                    deliveries = [d for d in emu.outbox() if d.verify_id == step["verify_id"]]
                    assert deliveries, f"{where}: no delivery"
                    newest = deliveries[-1]
                    for field, value in step.get("expect", {}).items():
                        assert getattr(newest, field) == value, f"{where}: {field}"
                    save = step.get("save", "code")
                    variables[save] = newest.code
                    variables[f"{save}_wrong"] = "111111" if newest.code == "000000" else "000000"
                elif do == "advance_clock":
                    emu.advance_clock(float(step["seconds"]))
                elif do == "counters":
                    stats = emu.stats()
                    want = step["expect"]
                    for name in ("otps_generated", "connections_accepted"):
                        count(f"{where}: {name}", stats[name], want.get(name))
                    for route, n in want.get("requests", {}).items():
                        count(f"{where}: requests on {route}", route_requests(emu, route), n)
                else:
                    raise AssertionError(f"{where}: unknown step")
