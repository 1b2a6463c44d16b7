# The native module (bindings/python, Rust). Checked against the built module by
# `python -m mypy.stubtest kaleyra_verify` in scripts/test-python.sh.
from asyncio import Future
from typing import Dict, List, Optional, Tuple, Type, final

from kaleyra_verify.error import VerifyError
from kaleyra_verify.validate import CheckOutcome

__all__ = [
    "__version__",
    "Client",
    "AsyncClient",
    "Generated",
    "Validated",
    "Emulator",
    "error_kinds",
    "codes",
    "check_outcomes",
    "register_errors",
    "register_outcomes",
    "refresh_log_level",
]

__version__: str

@final
class Generated:
    verify_id: str
    mobile: Optional[str]
    email: Optional[str]
    flow_id: Optional[str]
    __match_args__ = ("verify_id", "mobile", "email", "flow_id")
    def __new__(
        cls,
        verify_id: str,
        mobile: Optional[str] = None,
        email: Optional[str] = None,
        flow_id: Optional[str] = None,
    ) -> Generated: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Validated:
    verify_id: str
    message: str
    after_lost_attempt: bool
    __match_args__ = ("verify_id", "message", "after_lost_attempt")
    def __new__(
        cls, verify_id: str, message: str, after_lost_attempt: bool = False
    ) -> Validated: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Client:
    def __new__(
        cls,
        sid: Optional[str] = None,
        api_key: Optional[str] = None,
        *,
        region: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        max_attempts: Optional[float] = None,
        initial_backoff: Optional[float] = None,
        max_backoff: Optional[float] = None,
        max_retry_after: Optional[float] = None,
        proxy: Optional[str] = None,
        ca_cert: Optional[str] = None,
        user_agent_suffix: Optional[str] = None,
    ) -> Client: ...
    @classmethod
    def from_env(cls) -> Client: ...
    def generate(
        self,
        mobile: Optional[str] = None,
        *,
        email: Optional[str] = None,
        flow_id: Optional[str] = None,
        otp: Optional[str] = None,
    ) -> Generated: ...
    def validate(self, verify_id: str, otp: str) -> Validated: ...
    def check(self, verify_id: str, otp: str) -> CheckOutcome: ...
    def close(self) -> None: ...
    @property
    def closed(self) -> bool: ...
    def __enter__(self) -> Client: ...
    def __exit__(self, *_args: object) -> None: ...

@final
class AsyncClient:
    def __new__(
        cls,
        sid: Optional[str] = None,
        api_key: Optional[str] = None,
        *,
        region: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        max_attempts: Optional[float] = None,
        initial_backoff: Optional[float] = None,
        max_backoff: Optional[float] = None,
        max_retry_after: Optional[float] = None,
        proxy: Optional[str] = None,
        ca_cert: Optional[str] = None,
        user_agent_suffix: Optional[str] = None,
    ) -> AsyncClient: ...
    @classmethod
    def from_env(cls) -> AsyncClient: ...
    def generate(
        self,
        mobile: Optional[str] = None,
        *,
        email: Optional[str] = None,
        flow_id: Optional[str] = None,
        otp: Optional[str] = None,
    ) -> Future[Generated]: ...
    def validate(self, verify_id: str, otp: str) -> Future[Validated]: ...
    def check(self, verify_id: str, otp: str) -> Future[CheckOutcome]: ...
    def close(self) -> None: ...
    def aclose(self) -> Future[None]: ...
    @property
    def closed(self) -> bool: ...
    def __aenter__(self) -> Future[AsyncClient]: ...
    def __aexit__(self, *_args: object) -> Future[None]: ...

@final
class Emulator:
    def __new__(cls, *, tls: bool = False) -> Emulator: ...
    @property
    def base_url(self) -> str: ...
    @property
    def sid(self) -> str: ...
    @property
    def api_key(self) -> str: ...
    @property
    def ca_cert_pem(self) -> Optional[str]: ...
    def last_code(self, verify_id: str) -> Optional[str]: ...
    def outbox_json(self) -> str: ...
    def stats_json(self) -> str: ...
    def advance_clock(self, seconds: float) -> None: ...
    def inject_json(self, fault: str) -> None: ...
    def clear_faults(self) -> None: ...
    def close(self) -> None: ...

def error_kinds() -> List[Tuple[int, str, str, str]]: ...
def codes() -> List[Tuple[str, str, str, Optional[str], int]]: ...
def check_outcomes() -> List[Tuple[int, str, str, bool]]: ...
def register_errors(classes: Dict[str, Type[VerifyError]]) -> None: ...
def register_outcomes(members: Dict[str, CheckOutcome]) -> None: ...
def refresh_log_level() -> None: ...
