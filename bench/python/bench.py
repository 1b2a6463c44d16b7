"""The Python package's benchmark, in one run against one local server (the emulator in
its own process): the sync Client against requests.Session at concurrency 1, AsyncClient
against aiohttp at concurrency 64, each in its own process per round (alternating the
order), reporting medians of requests/s, CPU per request (getrusage user+sys of the whole
process, all threads) and peak RSS; and cold start, `import kaleyra_verify; Client(...)`
above `python -c pass`.

    python bench/python/bench.py [--requests N] [--rounds R]     (run.sh sets it up)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import time
from typing import Any, Callable, Dict, List

MOBILE = "+12025550123"
MISSING_ID = "00000000-0000-4000-8000-000000000000"


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def measure(n: int, run: Callable[[int], None]) -> Dict[str, float]:
    run(max(50, n // 20))  # warm-up: connections, caches
    c0, t0 = cpu(), time.perf_counter()
    run(n)
    wall, used = time.perf_counter() - t0, cpu() - c0
    return {
        "rate": n / wall,
        "cpu_us": used / n * 1e6,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def worker(kind: str, n: int, base_url: str, sid: str, key: str) -> Dict[str, float]:
    url = f"{base_url}/v1/{sid}/verify"
    body = {"to": {"mobile": MOBILE}}
    if kind == "kv_sync":
        import kaleyra_verify

        client = kaleyra_verify.Client(sid, key, base_url=base_url)

        def run(k: int) -> None:
            for _ in range(k):
                client.generate(MOBILE)

        return measure(n, run)
    if kind in ("kv_validate", "kv_check"):
        import kaleyra_verify

        client = kaleyra_verify.Client(sid, key, base_url=base_url, max_attempts=1)
        call = client.validate if kind == "kv_validate" else client.check

        def run(k: int) -> None:
            for _ in range(k):
                try:
                    call(MISSING_ID, "123456")
                except kaleyra_verify.NotFoundError:
                    pass

        return measure(n, run)
    if kind == "requests":
        import requests

        session = requests.Session()
        headers = {"api-key": key}

        def run(k: int) -> None:
            for _ in range(k):
                r = session.post(url, json=body, headers=headers)
                r.raise_for_status()
                r.json()

        return measure(n, run)
    if kind in ("kv_async", "aiohttp", "kv_async_check"):
        return asyncio.run(async_worker(kind, n, base_url, sid, key, url, body))
    raise SystemExit(f"unknown kind {kind}")


async def async_worker(
    kind: str, n: int, base_url: str, sid: str, key: str, url: str, body: Dict[str, Any]
) -> Dict[str, float]:
    concurrency = 64
    if kind == "kv_async":
        import kaleyra_verify

        client = kaleyra_verify.AsyncClient(sid, key, base_url=base_url)

        async def one() -> None:
            await client.generate(MOBILE)

    elif kind == "kv_async_check":
        import kaleyra_verify

        client = kaleyra_verify.AsyncClient(sid, key, base_url=base_url, max_attempts=1)

        async def one() -> None:
            await client.check(MISSING_ID, "123456")

    else:
        import aiohttp

        session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=concurrency), headers={"api-key": key}
        )

        async def one() -> None:
            async with session.post(url, json=body) as r:
                r.raise_for_status()
                await r.json()

    async def run(k: int) -> None:
        per = k // concurrency

        async def loop() -> None:
            for _ in range(per):
                await one()

        await asyncio.gather(*(loop() for _ in range(concurrency)))

    await run(max(concurrency * 4, n // 20))
    total = (n // concurrency) * concurrency
    c0, t0 = cpu(), time.perf_counter()
    await run(n)
    wall, used = time.perf_counter() - t0, cpu() - c0
    if kind == "aiohttp":
        await session.close()
    return {
        "rate": total / wall,
        "cpu_us": used / total * 1e6,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def cold_start(rounds: int) -> Dict[str, float]:
    def timed(code: str) -> float:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - t0

    kv_code = "import kaleyra_verify; kaleyra_verify.Client('HXBENCH', 'key')"
    timed(kv_code), timed("pass")  # warm the page cache
    kv, bare = [], []
    for i in range(rounds):
        pair = [("kv", kv_code), ("bare", "pass")]
        for name, code in pair if i % 2 == 0 else pair[::-1]:
            (kv if name == "kv" else bare).append(timed(code))
    return {
        "kv_ms": statistics.median(kv) * 1e3,
        "bare_ms": statistics.median(bare) * 1e3,
        "above_ms": (statistics.median(kv) - statistics.median(bare)) * 1e3,
    }


SERVER = """
import sys
from kaleyra_verify.testing import Emulator
emu = Emulator()
print(emu.base_url, emu.sid, emu.api_key, flush=True)
sys.stdin.read()
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--async-requests", type=int, default=12800)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--worker", nargs=5, metavar=("KIND", "N", "URL", "SID", "KEY"))
    parser.add_argument(
        "--rust-bench",
        help="verify-http's bench binary (cargo bench -p verify-http --bench client --no-run): "
        "adds the binding's own cost, Client.validate beside the Rust BlockingClient",
    )
    args = parser.parse_args()
    if args.worker:
        kind, n, url, sid, key = args.worker
        print(json.dumps(worker(kind, int(n), url, sid, key)))
        return

    server = subprocess.Popen(
        [sys.executable, "-c", SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert server.stdout is not None
    base_url, sid, key = server.stdout.readline().split()
    results: Dict[str, List[Dict[str, float]]] = {}
    try:
        for pair, n in ((("kv_sync", "requests"), args.requests), (("kv_async", "aiohttp"), args.async_requests)):
            for i in range(args.rounds):
                for kind in pair if i % 2 == 0 else pair[::-1]:
                    out = subprocess.run(
                        [sys.executable, __file__, "--worker", kind, str(n), base_url, sid, key],
                        check=True, capture_output=True, text=True,
                    ).stdout
                    results.setdefault(kind, []).append(json.loads(out))
        if args.rust_bench:
            kinds = ("kv_validate", "kv_check", "rust_blocking", "kv_async_check", "rust_async")
            for i in range(args.rounds):
                for kind in kinds if i % 2 == 0 else kinds[::-1]:
                    if kind.startswith("rust_"):
                        mode, c = ("blocking", "1") if kind == "rust_blocking" else ("sdk", "64")
                        line = subprocess.run(
                            [args.rust_bench, "--mode", mode, "--url", base_url, "--sid", sid,
                             "--key", key, "--verify-id", MISSING_ID, "--otp", "123456",
                             "--concurrency", c, "--seconds", "3"],
                            check=True, capture_output=True, text=True,
                        ).stdout
                        fields = dict(f.split("=", 1) for f in line.split() if "=" in f)
                        results.setdefault(kind, []).append(
                            {"rate": float(fields["rps"]), "cpu_us": float(fields["cpu_us_per_req"]), "rss_mb": 0.0}
                        )
                        continue
                    n = args.async_requests if kind == "kv_async_check" else args.requests
                    out = subprocess.run(
                        [sys.executable, __file__, "--worker", kind, str(n), base_url, sid, key],
                        check=True, capture_output=True, text=True,
                    ).stdout
                    results.setdefault(kind, []).append(json.loads(out))
    finally:
        server.stdin.close()  # type: ignore[union-attr]
        server.wait(10)

    def med(kind: str, field: str) -> float:
        return statistics.median(r[field] for r in results[kind])

    print(f"rounds: {args.rounds} (medians); sync {args.requests} requests, async {args.async_requests} at concurrency 64")
    print(f"{'client':<10} {'req/s':>9} {'CPU us/req':>11} {'peak RSS MB':>12}")
    for kind in ("kv_sync", "requests", "kv_async", "aiohttp"):
        print(f"{kind:<10} {med(kind, 'rate'):>9.0f} {med(kind, 'cpu_us'):>11.1f} {med(kind, 'rss_mb'):>12.1f}")
    print(
        f"sync:  rate x{med('kv_sync', 'rate') / med('requests', 'rate'):.2f} of requests, "
        f"CPU/req {med('kv_sync', 'cpu_us') / med('requests', 'cpu_us'):.2f} of requests'"
    )
    print(
        f"async: rate x{med('kv_async', 'rate') / med('aiohttp', 'rate'):.2f} of aiohttp, "
        f"CPU/req {med('kv_async', 'cpu_us') / med('aiohttp', 'cpu_us'):.2f} of aiohttp's"
    )
    if args.rust_bench:
        print("binding's own cost, validate of a missing verify_id (404); sync at 1, async at 64:")
        for kind in ("kv_validate", "kv_check", "rust_blocking", "kv_async_check", "rust_async"):
            print(f"  {kind:<14} {med(kind, 'rate'):>7.0f} req/s {med(kind, 'cpu_us'):>7.1f} us CPU/req")
        print(
            f"  Client.validate CPU/req {med('kv_validate', 'cpu_us') / med('rust_blocking', 'cpu_us'):.2f} of "
            f"BlockingClient's; Client.check {med('kv_check', 'cpu_us') / med('rust_blocking', 'cpu_us'):.2f}; "
            f"AsyncClient.check {med('kv_async_check', 'cpu_us') / med('rust_async', 'cpu_us'):.2f} of the Rust Client's"
        )
    cs = cold_start(max(11, args.rounds * 4))
    print(
        f"cold start: import kaleyra_verify + Client(...) {cs['kv_ms']:.1f} ms, python -c pass "
        f"{cs['bare_ms']:.1f} ms, above: {cs['above_ms']:.1f} ms"
    )


if __name__ == "__main__":
    main()
