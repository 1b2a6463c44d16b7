"""One measurement of one Python client, in a process of its own (bench/run.py runs it):
the same validate request for SECS seconds at a concurrency, after a 0.5 s warm-up. Any
complete answer counts (nginx answers 200, the emulator 404 E909). Prints one line:
requests/s and CPU per request (getrusage of the whole process, every thread).

    python py_client.py <kv_sync|kv_async|requests|httpx|aiohttp> <concurrency> <seconds>
    (env: URL, SID, KEY, VID, OTP)
"""

from __future__ import annotations

import asyncio
import os
import resource
import sys
import threading
import time
from typing import Any, Awaitable, Callable, List

MODE, C, SECS = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
BASE, SID, KEY = os.environ["URL"], os.environ["SID"], os.environ["KEY"]
VID, OTP = os.environ["VID"], os.environ["OTP"]
URL = f"{BASE}/v1/{SID}/verify/validate"
BODY = {"verify_id": VID, "otp": OTP}
HEADERS = {"api-key": KEY}


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def report(n: int, wall: float, used: float) -> None:
    print(f"mode={MODE} concurrency={C} requests={n} rps={n / wall:.0f} cpu_us_per_req={used / n * 1e6:.1f}")


def threads(make: Callable[[], Callable[[], None]]) -> None:
    """C threads, each with its own call (a requests.Session is not shared across threads)."""
    calls = [make() for _ in range(C)]
    counts = [0] * C

    def loop(i: int, until: float, count: bool) -> None:
        call = calls[i]
        while time.perf_counter() < until:
            call()
            if count:
                counts[i] += 1

    def phase(secs: float, count: bool) -> None:
        until = time.perf_counter() + secs
        ts = [threading.Thread(target=loop, args=(i, until, count)) for i in range(C)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()

    phase(0.5, False)
    c0, t0 = cpu(), time.perf_counter()
    phase(SECS, True)
    report(sum(counts), time.perf_counter() - t0, cpu() - c0)


async def tasks(call: Callable[[], Awaitable[Any]]) -> None:
    async def loop(until: float, counter: List[int]) -> None:
        while time.perf_counter() < until:
            await call()
            counter[0] += 1

    warm = [0]
    await asyncio.gather(*(loop(time.perf_counter() + 0.5, warm) for _ in range(C)))
    done = [0]
    c0, t0 = cpu(), time.perf_counter()
    await asyncio.gather(*(loop(t0 + SECS, done) for _ in range(C)))
    report(done[0], time.perf_counter() - t0, cpu() - c0)


def main() -> None:
    if MODE == "kv_sync":
        import kaleyra_verify

        client = kaleyra_verify.Client(SID, KEY, base_url=BASE, max_attempts=1)
        threads(lambda: lambda: client.check(VID, OTP))
    elif MODE == "kv_async":
        import kaleyra_verify

        async def run() -> None:
            client = kaleyra_verify.AsyncClient(SID, KEY, base_url=BASE, max_attempts=1)
            await tasks(lambda: client.check(VID, OTP))

        asyncio.run(run())
    elif MODE == "requests":
        import requests

        def make() -> Callable[[], None]:
            s = requests.Session()
            return lambda: s.post(URL, json=BODY, headers=HEADERS).json()

        threads(make)
    elif MODE == "httpx":
        import httpx

        async def run() -> None:
            limits = httpx.Limits(max_connections=C, max_keepalive_connections=C)
            async with httpx.AsyncClient(limits=limits) as s:

                async def call() -> None:
                    (await s.post(URL, json=BODY, headers=HEADERS)).json()

                await tasks(call)

        asyncio.run(run())
    elif MODE == "aiohttp":
        import aiohttp

        async def run() -> None:
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=C)) as s:

                async def call() -> None:
                    async with s.post(URL, json=BODY, headers=HEADERS) as r:
                        await r.json(content_type=None)

                await tasks(call)

        asyncio.run(run())
    else:
        raise SystemExit(f"mode {MODE}?")


main()
