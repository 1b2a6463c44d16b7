"""The exceptions come from the core's table: every kind has its class."""

from __future__ import annotations

import builtins
import pickle

import pytest

import kaleyra_verify as kv
from kaleyra_verify import _native, codes
from kaleyra_verify.testing import Emulator, Fault

MOBILE = "+12025550123"


def test_every_kind_of_the_native_table_has_its_class() -> None:
    table = _native.error_kinds()
    assert len(table) >= 14
    numbers = [number for number, _, _, _ in table]
    assert len(set(numbers)) == len(numbers)
    for number, kind, class_name, description in table:
        cls = getattr(kv, class_name)
        assert kv.ERROR_CLASSES[kind] is cls
        assert issubclass(cls, kv.VerifyError) and issubclass(cls, Exception)
        assert cls.__name__ == class_name and cls.__module__ == "kaleyra_verify"
        assert cls.KIND == kind and cls.NUMBER == number
        assert cls.__doc__ == description
        assert class_name in kv.__all__
        assert not hasattr(builtins, class_name), f"{class_name} shadows a built-in"
    assert set(kv.ERROR_CLASSES) == {kind for _, kind, _, _ in table}


def test_code_constants_come_from_the_table() -> None:
    rows = _native.codes()
    assert rows and set(codes.CODES) == {row[0] for row in rows}
    for code, info in codes.CODES.items():
        assert getattr(codes, code) == code == info.code
        assert info.http_status >= 400
    with pytest.raises(AttributeError):
        getattr(codes, "NOT_A_CODE")


def test_rate_limited_has_retry_after(kaleyra_emulator: Emulator) -> None:
    kaleyra_emulator.inject(Fault.rate_limit(retry_after=3, times=10))
    with kaleyra_emulator.client(max_attempts=1) as c:
        with pytest.raises(kv.RateLimitedError) as info:
            c.generate(MOBILE)
    e = info.value
    assert e.kind == "rate_limited" and e.status == 429 and e.retry_after == 3.0
    assert e.code is not None and e.code in codes.CODES
    assert isinstance(e, kv.VerifyError)


def test_server_error_after_retries(kaleyra_emulator: Emulator) -> None:
    kaleyra_emulator.inject(Fault.status(503, times=10))
    with kaleyra_emulator.client(max_attempts=2, initial_backoff=0.01) as c:
        with pytest.raises(kv.ServerError) as info:
            c.validate("00000000-0000-4000-8000-000000000000", "123456")
    assert info.value.status == 503


def test_outcome_unknown_names_its_cause(kaleyra_emulator: Emulator) -> None:
    kaleyra_emulator.inject(Fault.close_after())
    with kaleyra_emulator.client() as c:
        with pytest.raises(kv.OutcomeUnknownError) as info:
            c.generate(MOBILE)
    assert info.value.cause_kind is not None and info.value.cause_kind != "outcome_unknown"
    assert kaleyra_emulator.stats()["otps_generated"] == 1


def test_connect_error() -> None:
    with kv.Client("sid", "key", base_url="http://127.0.0.1:9", max_attempts=1) as c:
        with pytest.raises(kv.ConnectError):
            c.generate(MOBILE)


def test_timeout_error(kaleyra_emulator: Emulator) -> None:
    kaleyra_emulator.inject(Fault.latency(5.0))
    with kaleyra_emulator.client(timeout=0.3) as c:
        with pytest.raises(kv.VerifyError) as info:
            c.validate("00000000-0000-4000-8000-000000000000", "123456")
    assert info.value.kind == "timeout"
    assert isinstance(info.value, kv.RequestTimeoutError)


def test_errors_pickle_with_their_attributes(kaleyra_emulator: Emulator) -> None:
    with kaleyra_emulator.client() as c:
        with pytest.raises(kv.ValidationError) as info:
            c.generate("+12")
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is kv.ValidationError
    assert copy.code == info.value.code and copy.message == info.value.message
    assert repr(copy) == repr(info.value)


def test_user_can_raise_and_catch() -> None:
    e = kv.RateLimitedError("slow down", retry_after=1.5)
    assert e.kind == "rate_limited" and e.retry_after == 1.5 and str(e) == "slow down"
