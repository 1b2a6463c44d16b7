"""The asyncio client: real awaitables on the running loop; cancellation cancels."""

from __future__ import annotations

import asyncio
import time

import pytest

import kaleyra_verify as kv
from kaleyra_verify import AsyncClient, CheckOutcome, Generated
from kaleyra_verify.testing import Emulator, Fault

MOBILE = "+12025550123"


def test_generate_and_check(kaleyra_emulator: Emulator) -> None:
    async def main() -> None:
        async with kaleyra_emulator.async_client() as c:
            sent = await c.generate(MOBILE)
            assert isinstance(sent, Generated)
            assert await c.check(sent.verify_id, "000000") is CheckOutcome.WRONG_CODE
            code = kaleyra_emulator.last_code(sent.verify_id) or ""
            ok = await c.validate(sent.verify_id, code)
            assert ok.verify_id == sent.verify_id
        assert c.closed

    asyncio.run(main())


def test_gather_many(kaleyra_emulator: Emulator) -> None:
    async def main() -> None:
        c = kaleyra_emulator.async_client()
        sent = await asyncio.gather(*(c.generate(MOBILE) for _ in range(100)))
        outcomes = await asyncio.gather(
            *(c.check(s.verify_id, kaleyra_emulator.last_code(s.verify_id) or "") for s in sent)
        )
        assert all(o is CheckOutcome.VERIFIED for o in outcomes)
        await c.aclose()

    asyncio.run(main())


def test_errors_are_raised_by_await(kaleyra_emulator: Emulator) -> None:
    async def main() -> None:
        async with kaleyra_emulator.async_client() as c:
            with pytest.raises(kv.ValidationError):
                await c.generate("+12")
            kaleyra_emulator.inject(Fault.rate_limit(2, times=10))
            with pytest.raises(kv.RateLimitedError) as info:
                await c.generate(MOBILE)
            assert info.value.retry_after == 2.0

    asyncio.run(main())


def test_cancelling_the_task_cancels_the_request(kaleyra_emulator: Emulator) -> None:
    """The emulator holds the request 1.5 s before generating; cancelled at 0.2 s, the
    Rust task drops the connection, so the handler never runs and no OTP is made."""

    async def main() -> None:
        kaleyra_emulator.inject(Fault.latency(1.5))
        async with kaleyra_emulator.async_client(timeout=10.0) as c:
            task = asyncio.ensure_future(c.generate(MOBILE))
            await asyncio.sleep(0.2)
            started = time.monotonic()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert time.monotonic() - started < 1.0
            await asyncio.sleep(2.0)
            assert kaleyra_emulator.stats()["otps_generated"] == 0
            # The client still works.
            assert (await c.generate(MOBILE)).verify_id

    errors: list[object] = []

    def record(loop: asyncio.AbstractEventLoop, context: dict[str, object]) -> None:
        errors.append(context)

    async def with_handler() -> None:
        asyncio.get_running_loop().set_exception_handler(record)
        await main()

    asyncio.run(with_handler())
    assert errors == []


def test_wait_for_timeout_cancels(kaleyra_emulator: Emulator) -> None:
    async def main() -> None:
        kaleyra_emulator.inject(Fault.latency(1.5))
        async with kaleyra_emulator.async_client(timeout=10.0) as c:
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(c.generate(MOBILE), 0.2)
            await asyncio.sleep(2.0)
            assert kaleyra_emulator.stats()["otps_generated"] == 0

    asyncio.run(main())


def test_outside_a_loop_is_a_clear_error(kaleyra_emulator: Emulator) -> None:
    c = AsyncClient(kaleyra_emulator.sid, kaleyra_emulator.api_key, base_url=kaleyra_emulator.base_url)
    with pytest.raises(RuntimeError):
        c.generate(MOBILE)


EXIT_CHILD = """
import asyncio, logging, sys
from kaleyra_verify.testing import Emulator
if sys.argv[1] == "debug":
    logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
with Emulator() as emu:
    async def main() -> None:
        c = emu.async_client()
        await asyncio.gather(*(c.generate("+12025550123") for _ in range(640)))
    asyncio.run(main())
print("done", flush=True)
"""


@pytest.mark.parametrize("logging_level", ["quiet", "debug"])
def test_exit_right_after_many_calls_is_clean(logging_level: str) -> None:
    """Completions arrive from the runtime's thread up to the last moment; the process
    must still exit cleanly (a thread taking the GIL during finalization aborts it)."""
    import subprocess
    import sys

    for _ in range(6):
        proc = subprocess.run(
            [sys.executable, "-c", EXIT_CHILD, logging_level],
            capture_output=True, text=True, timeout=60,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert proc.stdout.strip() == "done"
