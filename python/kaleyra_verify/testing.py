"""The Kaleyra Verify emulator inside your Python process, for tests of your login flow:

    from kaleyra_verify.testing import Emulator

    with Emulator() as emu:
        client = emu.client()
        sent = client.generate("+12025550123")
        client.check(sent.verify_id, emu.last_code(sent.verify_id))  # CheckOutcome.VERIFIED

With pytest, ask for the ``kaleyra_emulator`` fixture (registered by entry point).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Dict, List, Mapping, Optional, Type

from kaleyra_verify import _native
from kaleyra_verify._native import AsyncClient, Client

__all__ = ["Delivery", "Emulator", "Fault"]


@dataclass(frozen=True)
class Delivery:
    """One OTP the emulator "sent"."""

    verify_id: str
    channel: str
    recipient: str
    code: str
    at: int
    """Unix milliseconds on the emulator's clock."""


@dataclass(frozen=True)
class Fault:
    """A fault for the next ``times`` API requests, as the emulator's faults route takes it."""

    spec: Mapping[str, Any] = field(default_factory=dict)

    @staticmethod
    def latency(seconds: float, times: int = 1) -> Fault:
        """Delays the answer by ``seconds``, then answers normally."""
        return Fault({"mode": "latency", "ms": int(seconds * 1000), "count": times})

    @staticmethod
    def status(status: int, times: int = 1) -> Fault:
        """Answers ``status`` with the service's envelope, without processing."""
        return Fault({"mode": "status", "status": status, "count": times})

    @staticmethod
    def rate_limit(retry_after: int = 1, times: int = 1) -> Fault:
        """Answers 429 with ``Retry-After: retry_after``."""
        return Fault({"mode": "rate_limit", "retry_after": retry_after, "count": times})

    @staticmethod
    def close_before(times: int = 1) -> Fault:
        """Drops the connection before processing: nothing happens."""
        return Fault({"mode": "close_before", "count": times})

    @staticmethod
    def close_after(times: int = 1) -> Fault:
        """Processes the request (an OTP goes out), then drops the connection."""
        return Fault({"mode": "close_after", "count": times})

    @staticmethod
    def malformed(times: int = 1) -> Fault:
        """Processes the request, then answers 200 with a body that is not JSON."""
        return Fault({"mode": "malformed", "count": times})

    @staticmethod
    def truncated(times: int = 1) -> Fault:
        """Processes the request, then answers 200 with half the JSON body."""
        return Fault({"mode": "truncated", "count": times})


class Emulator:
    """A stateful local Kaleyra Verify service on 127.0.0.1 (a free port)."""

    def __init__(self, *, tls: bool = False) -> None:
        self._native = _native.Emulator(tls=tls)

    @property
    def base_url(self) -> str:
        return self._native.base_url

    @property
    def sid(self) -> str:
        return self._native.sid

    @property
    def api_key(self) -> str:
        return self._native.api_key

    @property
    def ca_cert_pem(self) -> Optional[str]:
        """The certificate to trust (``ca_cert=``) when started with ``tls=True``."""
        return self._native.ca_cert_pem

    def client(self, **options: Any) -> Client:
        """A :class:`~kaleyra_verify.Client` pointed at this emulator."""
        return Client(self.sid, self.api_key, base_url=self.base_url, **options)

    def async_client(self, **options: Any) -> AsyncClient:
        """An :class:`~kaleyra_verify.AsyncClient` pointed at this emulator."""
        return AsyncClient(self.sid, self.api_key, base_url=self.base_url, **options)

    def last_code(self, verify_id: str) -> Optional[str]:
        """The code last sent for ``verify_id``, or None."""
        return self._native.last_code(verify_id)

    def outbox(self) -> List[Delivery]:
        """Every delivery, oldest first."""
        rows = json.loads(self._native.outbox_json())
        return [Delivery(**row) for row in rows]

    def stats(self) -> Dict[str, Any]:
        """The counters: ``otps_generated``, ``requests`` by route and status, ..."""
        stats: Dict[str, Any] = json.loads(self._native.stats_json())
        return stats

    def advance_clock(self, seconds: float) -> None:
        """Moves the emulator's clock forward (codes expire, rate windows pass)."""
        self._native.advance_clock(seconds)

    def inject(self, fault: Fault) -> None:
        """Queues a fault for the next API requests."""
        self._native.inject_json(json.dumps(dict(fault.spec)))

    def clear_faults(self) -> None:
        self._native.clear_faults()

    def close(self) -> None:
        """Stops the server. Idempotent."""
        self._native.close()

    def __enter__(self) -> Emulator:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Emulator(base_url={self.base_url!r}, sid={self.sid!r})"
