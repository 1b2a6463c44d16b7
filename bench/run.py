"""The measurements and the report of bench/run.sh (which builds, installs and starts the
servers, then runs this). Every client makes the same validate request against the same
servers, pinned to core 0 (the servers on core 1), each measurement in a process of its
own, the clients' order alternating from round to round. Writes docs/benchmarks.md and
docs/benchmarks.svg; the raw lines go to $RESULTS.

Figures: requests/s and CPU µs per request as each client measures them over its
measured window (wrk: /usr/bin/time over the whole run); peak RSS of the client process
(/usr/bin/time %M); cold start of Python and Node (spawn to exit, above the bare
interpreter). Medians over ROUNDS, spread as min–max.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
E = os.environ
ROUNDS, SECS = int(E.get("ROUNDS", "3")), float(E.get("SECS", "4"))
RESULTS = Path(E.get("RESULTS", "/tmp/bench-results.txt"))
OTP = "123456"
LATENCY_MS = 50
IDEAL = 64 / (LATENCY_MS / 1000)

# name, language, command (given the concurrency), what it is
Client = Tuple[str, str, List[str], str]


def clients(c: int) -> List[Client]:
    secs = str(SECS)
    rust = lambda mode: [E["RUST_BIN"], "--mode", mode, "--concurrency", str(c), "--seconds", secs]  # noqa: E731
    py = lambda mode: [E["PY"], str(ROOT / "bench/clients/py_client.py"), mode, str(c), secs]  # noqa: E731
    node = lambda mode: ["node", str(Path(E["NODE_APP"]) / "node_client.js"), mode, str(c), secs]  # noqa: E731
    out: List[Client] = [
        ("wrk", "floor", ["wrk", "-t1", f"-c{c}", f"-d{max(1, round(SECS))}s", "-s", str(ROOT / "bench/client/post.lua")], "wrk, one thread"),
        ("reqwest", "Rust", rust("reqwest"), "bare reqwest, hand-written"),
        ("rust async", "Rust", rust("sdk"), "verify_http::Client::validate"),
        ("rust blocking", "Rust", rust("blocking"), "BlockingClient::validate, c threads"),
        ("python sync", "Python", py("kv_sync"), "kaleyra_verify.Client.check, c threads"),
        ("python asyncio", "Python", py("kv_async"), "kaleyra_verify.AsyncClient.check, c tasks"),
        ("requests", "Python", py("requests"), "requests.Session per thread, c threads"),
        ("httpx", "Python", py("httpx"), "httpx.AsyncClient, c tasks"),
        ("aiohttp", "Python", py("aiohttp"), "aiohttp.ClientSession, c tasks"),
        ("node", "Node", node("sdk"), "kaleyra-verify Client.check, c promises"),
        ("fetch", "Node", node("fetch"), "Node's fetch (undici), c promises"),
    ]
    if E.get("C_BENCH"):  # bench/c/bench.c: URL SID KEY VERIFY_ID OTP THREADS SECONDS, added in measure()
        out.append(("c", "C", [E["C_BENCH"], str(c), secs], "kv_client_check, c threads"))
    return out


def measure(cl: Client, server: Dict[str, str], c: int) -> Dict[str, float]:
    name, _, cmd, _ = cl
    env = dict(E, URL=server["url"], SID=server["sid"], KEY=server["key"], VID=server["vid"], OTP=OTP,
               BENCH_KEY=server["key"], BENCH_SID=server["sid"], BENCH_VERIFY_ID=server["vid"], BENCH_OTP=OTP)
    if name == "wrk":
        cmd = cmd + [server["url"]]
    elif cmd[0] == E["RUST_BIN"]:
        cmd = cmd + ["--url", server["url"], "--sid", server["sid"], "--key", server["key"],
                     "--verify-id", server["vid"], "--otp", OTP]
    elif cmd[0] == E.get("C_BENCH"):
        cmd = [cmd[0], server["url"], server["sid"], server["key"], server["vid"], OTP] + cmd[1:]
    full = ["taskset", "-c", "0", "/usr/bin/time", "-f", "bench_time maxrss_kb=%M cpu_s=%U+%S"] + cmd
    p = subprocess.run(full, cwd=E.get("NODE_APP", ROOT), env=env, capture_output=True, text=True,
                       timeout=SECS * 4 + 60)
    out = p.stdout + p.stderr
    t = re.search(r"bench_time maxrss_kb=(\d+) cpu_s=([\d.]+)\+([\d.]+)", out)
    if p.returncode != 0 or not t:
        raise SystemExit(f"bench: {name} at c={c} failed:\n{out[-3000:]}")
    rss = int(t.group(1)) / 1024
    if name == "wrk":
        n = float(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
        cpu = (float(t.group(2)) + float(t.group(3))) * 1e6 / n
    else:
        kv = dict(re.findall(r"(\w+)=([\d.]+)", p.stdout))
        rps, cpu = float(kv["rps"]), float(kv.get("cpu_us_per_req") or kv["cpu_us_per_call"])
    return {"rps": rps, "cpu": cpu, "rss": rss}


def cold(cmd: List[str], base: List[str], rounds: int = 11) -> Tuple[float, float, float]:
    """Median milliseconds `cmd` adds above `base`, and the spread of the differences."""
    import time

    def once(c: List[str]) -> float:
        t = time.perf_counter()
        subprocess.run(["taskset", "-c", "0"] + c, cwd=E.get("NODE_APP", ROOT), check=True, capture_output=True)
        return (time.perf_counter() - t) * 1000

    once(base), once(cmd)
    diffs = []
    for _ in range(rounds):
        b = once(base)
        diffs.append(once(cmd) - b)
    return statistics.median(diffs), min(diffs), max(diffs)


def fault(url: str, method: str, body: Optional[dict] = None) -> None:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"{url}/_emulator/faults", data=data, method=method,
                                 headers={"content-type": "application/json"})
    urllib.request.urlopen(req, timeout=5).read()


def main() -> None:
    servers = {
        "nginx": {"url": E["NGINX_URL"], "sid": "HXBENCH01", "key": "bench-api-key",
                  "vid": "4d3d0959-80aa-43bb-be11-5815ce0795a1"},
        "emulator": {"url": E["EMU_URL"], "sid": E["EMU_SID"], "key": E["EMU_KEY"],
                     "vid": "00000000-0000-4000-8000-000000000000"},
    }
    rows: Dict[Tuple[str, str, int, str], List[Dict[str, float]]] = {}
    log = RESULTS.open("w")

    def record(scenario: str, server: str, c: int, cl: Client) -> None:
        r = measure(cl, servers[server], c)
        rows.setdefault((scenario, server, c, cl[0]), []).append(r)
        line = f"scenario={scenario} server={server} concurrency={c} client={cl[0].replace(' ', '_')} " + \
            " ".join(f"{k}={v:.1f}" for k, v in r.items())
        print(line, flush=True)
        log.write(line + "\n")

    for rnd in range(ROUNDS):
        for server in servers:
            for c in (1, 64):
                order = clients(c) if rnd % 2 == 0 else clients(c)[::-1]
                for cl in order:
                    record("plain", server, c, cl)
    fault(E["EMU_URL"], "POST", {"mode": "latency", "ms": LATENCY_MS, "count": 4_000_000_000})
    try:
        for rnd in range(ROUNDS):
            order = clients(64) if rnd % 2 == 0 else clients(64)[::-1]
            for cl in order:
                record("latency", "emulator", 64, cl)
    finally:
        fault(E["EMU_URL"], "DELETE")

    colds = {
        "python: import kaleyra_verify; Client(...)": cold(
            [E["PY"], "-c", "import kaleyra_verify; kaleyra_verify.Client('HX1', 'k', base_url='http://127.0.0.1:9')"],
            [E["PY"], "-c", "pass"]),
        "node: require('kaleyra-verify'); new Client(...)": cold(
            ["node", "-e", "const { Client } = require('kaleyra-verify'); new Client({ sid: 'HX1', apiKey: 'k', baseUrl: 'http://127.0.0.1:9' })"],
            ["node", "-e", "0"]),
    }
    write_report(rows, colds)


def med(xs: List[Dict[str, float]], k: str) -> float:
    return statistics.median(x[k] for x in xs)


def spread(xs: List[Dict[str, float]], k: str, fmt: str = "{:.0f}") -> str:
    vals = [x[k] for x in xs]
    return f"{fmt.format(min(vals))}–{fmt.format(max(vals))}" if len(vals) > 1 else "one round"


def write_report(rows: Dict[Tuple[str, str, int, str], List[Dict[str, float]]],
                 colds: Dict[str, Tuple[float, float, float]]) -> None:
    cpu_model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    names = [(cl[0], cl[1], cl[3]) for cl in clients(1)]
    md = [
        "# Benchmarks",
        "",
        f"Machine: {os.cpu_count()} CPUs (nproc), {cpu_model}, {platform.system()} {platform.release()}; "
        f"{now}; commit `{commit}`{' (with uncommitted changes)' if dirty else ''}. "
        f"{ROUNDS} rounds of {SECS:g} s per measurement, client order alternating; medians, "
        "min–max across rounds in brackets.",
        "",
        "Made by `make bench` (`bench/run.sh`; `ROUNDS=1 SECS=1 bench/run.sh` for a quick try). "
        "**The machine is shared with other jobs and noisy**: read ratios between clients of one "
        "run, not absolute figures, and rerun before relying on a difference under ~20%.",
        "",
        "Every client sends the same `POST /v1/{SID}/verify/validate`, one process per "
        "measurement pinned to core 0, against servers pinned to core 1: nginx answering a "
        "static 200 of the service's shape (the floor: no server work), and the emulator "
        "(`kaleyra-verify emulator`, release) answering 404 E909 for a verification that does "
        "not exist (so no state grows). CPU µs per request is the client process's user+sys "
        "time (every thread) over the measured window; peak RSS is the whole process's.",
        "",
        "![requests per second at concurrency 64, and the 50 ms scenario](benchmarks.svg)",
        "",
    ]
    for server in ("emulator", "nginx"):
        md += [f"## Against the {server}", "",
               "| client | what | c=1 req/s | c=1 CPU µs/req | c=1 RSS MB | c=64 req/s | c=64 CPU µs/req | c=64 RSS MB |",
               "|---|---|---:|---:|---:|---:|---:|---:|"]
        for name, lang, what in names:
            cells = []
            for c in (1, 64):
                xs = rows.get(("plain", server, c, name), [])
                cells += [f"{med(xs, 'rps'):.0f} ({spread(xs, 'rps')})",
                          f"{med(xs, 'cpu'):.1f} ({spread(xs, 'cpu', '{:.1f}')})",
                          f"{med(xs, 'rss'):.1f}"] if xs else ["", "", ""]
            md.append(f"| {name} ({lang}) | {what} | " + " | ".join(cells) + " |")
        md.append("")
    md += ["## The emulator adding 50 ms to every answer", "",
           f"Concurrency 64 against the emulator with a latency fault on every request: the ideal is "
           f"64 / 0.05 s = {IDEAL:.0f} req/s. A client that keeps its 64 connections busy stays near 100%.", "",
           "| client | req/s | of the ideal |", "|---|---:|---:|"]
    for name, lang, _ in names:
        xs = rows.get(("latency", "emulator", 64, name), [])
        if xs:
            md.append(f"| {name} ({lang}) | {med(xs, 'rps'):.0f} ({spread(xs, 'rps')}) | {med(xs, 'rps') / IDEAL:.1%} |")
    md += ["", "## Cold start", "",
           "Spawn to exit of the interpreter running the line, minus the bare interpreter "
           "(`python -c pass`, `node -e 0`), 11 alternated pairs.", "",
           "| what | added ms (median) | min–max |", "|---|---:|---:|"]
    for what, (m, lo, hi) in colds.items():
        md.append(f"| `{what}` | {m:.1f} | {lo:.1f}–{hi:.1f} |")
    md.append("")
    out = ROOT / "docs"
    out.mkdir(exist_ok=True)
    (out / "benchmarks.md").write_text("\n".join(md))
    (out / "benchmarks.svg").write_text(svg(rows, names, f"{os.cpu_count()} CPUs, {cpu_model}; {now}; {commit}"))
    print(f"wrote {out / 'benchmarks.md'} and {out / 'benchmarks.svg'}")


def svg(rows: Dict[Tuple[str, str, int, str], List[Dict[str, float]]], names: List[Tuple[str, str, str]], stamp: str) -> str:
    """Two panels of horizontal bars: req/s at c=64 (emulator and nginx), and the share of
    the ideal in the 50 ms scenario. Hand-made SVG: no plotting library."""
    from html import escape

    label_w, bar_w, row_h, top = 150, 330, 22, 58
    panel_gap = 40
    width = label_w + 2 * (bar_w + panel_gap) + 20
    height = top + row_h * len(names) + 40
    colors = {"emulator": "#3b6ea8", "nginx": "#9fbfe0", "latency": "#d08b2c"}
    rps_max = max((med(v, "rps") for k, v in rows.items() if k[0] == "plain" and k[2] == 64), default=1)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="10" y="18" font-size="14" font-weight="bold">kaleyra-verify and its peers, concurrency 64</text>',
           f'<text x="10" y="34" fill="#555">{escape(stamp)}</text>']
    x1, x2 = label_w, label_w + bar_w + panel_gap
    out.append(f'<text x="{x1}" y="{top - 8}">req/s (dark: emulator, light: nginx)</text>')
    out.append(f'<text x="{x2}" y="{top - 8}">50 ms per answer: share of {IDEAL:.0f} req/s</text>')
    for i, (name, lang, _) in enumerate(names):
        y = top + i * row_h
        out.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{escape(name)}</text>')
        for j, server in enumerate(("emulator", "nginx")):
            xs = rows.get(("plain", server, 64, name))
            if xs:
                v = med(xs, "rps")
                w = bar_w * v / rps_max
                out.append(f'<rect x="{x1}" y="{y + 2 + j * 9}" width="{w:.1f}" height="8" fill="{colors[server]}"/>')
                out.append(f'<text x="{x1 + w + 3:.1f}" y="{y + 10 + j * 9}" font-size="9">{v:.0f}</text>')
        xs = rows.get(("latency", "emulator", 64, name))
        if xs:
            f = med(xs, "rps") / IDEAL
            w = bar_w * min(f, 1.05) / 1.05
            out.append(f'<rect x="{x2}" y="{y + 3}" width="{w:.1f}" height="14" fill="{colors["latency"]}"/>')
            out.append(f'<text x="{x2 + w + 3:.1f}" y="{y + 14}" font-size="10">{f:.0%}</text>')
    ideal_x = x2 + bar_w / 1.05
    out.append(f'<line x1="{ideal_x:.1f}" y1="{top - 4}" x2="{ideal_x:.1f}" y2="{top + row_h * len(names)}" '
               f'stroke="#888" stroke-dasharray="3,3"/>')
    out.append("</svg>\n")
    return "\n".join(out)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--report-only":
        raise SystemExit("bench/run.py: run it through bench/run.sh")
    main()
