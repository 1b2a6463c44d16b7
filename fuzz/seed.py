#!/usr/bin/env python3
"""Writes the fuzz corpus's seeds from conformance/vectors (one file per case, named
seed-<case>), in the input formats fuzz/src/lib.rs documents. Run again whenever the
vectors change; files the fuzzer added beside them are left alone."""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
VECTORS = ROOT / "conformance" / "vectors"
CORPUS = ROOT / "fuzz" / "corpus"


def answer(case):
    flags = b"\x01" if case["endpoint"] == "validate" else b"\x00"
    head = b"\n".join(f"{k}:{v}".encode() for k, v in case.get("headers", {}).items())
    rest = head + b"\n\n" + case["body"].encode() if head else case["body"].encode()
    return flags + case["status"].to_bytes(2, "big") + rest


def generate(inp):
    names = ["flow_id", "mobile", "email", "otp"]
    flags = sum(1 << i for i, n in enumerate(names) if inp.get(n) is not None)
    parts = [(inp.get(n) or "").encode() for n in names]
    return bytes([flags]) + b"\xff".join(parts)


def validate(inp):
    return b"\x80" + inp["verify_id"].encode() + b"\xff" + inp["otp"].encode()


def write(target, name, data):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / f"seed-{name}").write_bytes(data)


responses = json.loads((VECTORS / "responses.json").read_text())
for case in responses["cases"]:
    write("decode_response", case["name"], answer(case))
requests = json.loads((VECTORS / "requests.json").read_text())
for case in requests["generate"]:
    write("request", "generate-" + case["name"], generate(case["input"]))
for case in requests["validate"]:
    write("request", "validate-" + case["name"], validate(case["input"]))
print(f"seeded {len(responses['cases'])} answers, "
      f"{len(requests['generate']) + len(requests['validate'])} requests into {CORPUS}")
