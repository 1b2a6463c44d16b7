"""Threads, fork and Ctrl-C: the GIL is released while waiting, a client made before
fork() works in the child, and SIGINT interrupts a slow call promptly."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from kaleyra_verify import CheckOutcome, Client
from kaleyra_verify.testing import Emulator, Fault

MOBILE = "+12025550123"


def test_eight_threads_share_one_client(kaleyra_emulator: Emulator) -> None:
    results: list[CheckOutcome] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    with kaleyra_emulator.client() as client:

        def work() -> None:
            try:
                for _ in range(25):
                    sent = client.generate(MOBILE)
                    code = kaleyra_emulator.last_code(sent.verify_id) or ""
                    outcome = client.check(sent.verify_id, code)
                    with lock:
                        results.append(outcome)
            except BaseException as e:  # reported below
                failures.append(e)

        threads = [threading.Thread(target=work) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert failures == []
    assert len(results) == 200 and all(o is CheckOutcome.VERIFIED for o in results)


def test_the_gil_is_released_while_waiting(kaleyra_emulator: Emulator) -> None:
    """8 calls each held 0.5 s by the emulator: serially 4 s; in parallel about 0.5 s."""
    kaleyra_emulator.inject(Fault.latency(0.5, times=8))
    with kaleyra_emulator.client() as client:
        started = time.monotonic()
        threads = [threading.Thread(target=client.generate, args=(MOBILE,)) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        elapsed = time.monotonic() - started
    assert elapsed < 2.5, elapsed


def _child(client: Client, emulator_url: str, queue: "multiprocessing.Queue[str]") -> None:
    try:
        sent = client.generate(MOBILE)
        queue.put(f"ok {sent.verify_id}")
    except BaseException as e:
        queue.put(f"error {e!r}")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork() on this platform")
def test_client_made_before_fork_works_in_the_child(kaleyra_emulator: Emulator) -> None:
    with kaleyra_emulator.client(timeout=10.0) as client:
        client.generate(MOBILE)  # the parent's runtime and pool are live
        ctx = multiprocessing.get_context("fork")
        queue: "multiprocessing.Queue[str]" = ctx.Queue()
        procs = [
            ctx.Process(target=_child, args=(client, kaleyra_emulator.base_url, queue))
            for _ in range(3)
        ]
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # 3.12: fork with threads
            for p in procs:
                p.start()
        answers = [queue.get(timeout=30) for _ in procs]
        for p in procs:
            p.join(30)
            assert p.exitcode == 0
        # The parent still works after its children.
        assert client.generate(MOBILE).verify_id
    assert all(a.startswith("ok ") for a in answers), answers
    assert kaleyra_emulator.stats()["otps_generated"] == 5


SIGINT_CHILD = textwrap.dedent(
    """
    import sys, time
    from kaleyra_verify.testing import Emulator, Fault
    with Emulator() as emu:
        emu.inject(Fault.latency(30.0))
        client = emu.client(timeout=60.0)
        print("ready", flush=True)
        started = time.monotonic()
        try:
            client.generate("+12025550123")
        except KeyboardInterrupt:
            print(f"interrupted {time.monotonic() - started:.3f}", flush=True)
            # The request was cancelled, and the client still works.
            emu.clear_faults()
            time.sleep(0.2)
            print("otps", emu.stats()["otps_generated"], flush=True)
            print("again", client.generate("+12025550123").verify_id != "", flush=True)
            sys.exit(0)
        print("not interrupted", flush=True)
        sys.exit(1)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child is POSIX")
def test_sigint_interrupts_a_slow_call() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", SIGINT_CHILD], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=20)
    assert proc.returncode == 0, out
    lines = out.split("\n")
    assert lines[0].startswith("interrupted ")
    assert float(lines[0].split()[1]) < 5.0
    assert "otps 0" in lines and "again True" in lines
