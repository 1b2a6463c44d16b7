"""Kaleyra Verify (OTP) for Python: sync and asyncio clients on the Rust core.

    from kaleyra_verify import Client, CheckOutcome

    with Client.from_env() as client:        # KALEYRA_SID, KALEYRA_API_KEY
        sent = client.generate("+12025550123")
        if client.check(sent.verify_id, code_typed_by_user) is CheckOutcome.VERIFIED:
            ...

Errors are subclasses of :class:`VerifyError`, one per kind of the core's table
(``RateLimitedError``, ``AuthenticationError``, ``OutcomeUnknownError``, ...).
"""

from kaleyra_verify._native import AsyncClient, Client, Generated, Validated, __version__
from kaleyra_verify import error
from kaleyra_verify.error import *  # noqa: F401,F403  (one class per kind, from the core)
from kaleyra_verify.validate import CheckOutcome

__all__ = [
    "AsyncClient",
    "CheckOutcome",
    "Client",
    "Generated",
    "Validated",
    "__version__",
]
__all__ += error.__all__
