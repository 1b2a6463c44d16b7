"""The synchronous client against the emulator."""

from __future__ import annotations

import dataclasses

import pytest

import kaleyra_verify as kv
from kaleyra_verify import CheckOutcome, Client, Generated, Validated
from kaleyra_verify.testing import Emulator

MOBILE = "+12025550123"


def test_generate_validate(client: Client, kaleyra_emulator: Emulator) -> None:
    sent = client.generate(MOBILE)
    assert isinstance(sent, Generated)
    assert sent.verify_id and sent.mobile and MOBILE.endswith(sent.mobile.lstrip("+"))
    code = kaleyra_emulator.last_code(sent.verify_id)
    assert code is not None
    ok = client.validate(sent.verify_id, code)
    assert isinstance(ok, Validated)
    assert ok.verify_id == sent.verify_id and ok.after_lost_attempt is False


def test_generate_with_email(client: Client, kaleyra_emulator: Emulator) -> None:
    sent = client.generate(MOBILE, email="user@example.com")
    assert sent.email == "user@example.com"
    assert [d.verify_id for d in kaleyra_emulator.outbox()] != []


def test_check_outcomes(client: Client, kaleyra_emulator: Emulator) -> None:
    sent = client.generate(MOBILE)
    assert client.check(sent.verify_id, "000000") is CheckOutcome.WRONG_CODE
    code = kaleyra_emulator.last_code(sent.verify_id) or ""
    outcome = client.check(sent.verify_id, code)
    assert outcome is CheckOutcome.VERIFIED and outcome.is_verified
    assert client.check(sent.verify_id, code) is CheckOutcome.ALREADY_VERIFIED
    missing = "00000000-0000-4000-8000-000000000000"
    assert client.check(missing, "123456") is CheckOutcome.NOT_FOUND


def test_expired(client: Client, kaleyra_emulator: Emulator) -> None:
    sent = client.generate(MOBILE)
    kaleyra_emulator.advance_clock(3600)
    code = kaleyra_emulator.last_code(sent.verify_id) or ""
    assert client.check(sent.verify_id, code) is CheckOutcome.EXPIRED


def test_results_are_immutable_with_readable_repr(client: Client) -> None:
    sent = client.generate(MOBILE)
    with pytest.raises(AttributeError):
        sent.verify_id = "x"  # type: ignore[misc]
    assert repr(sent).startswith(f"Generated(verify_id='{sent.verify_id}', mobile=")
    assert sent == Generated(sent.verify_id, sent.mobile, sent.email, sent.flow_id)
    assert hash(sent) == hash(Generated(sent.verify_id, sent.mobile, sent.email, sent.flow_id))
    assert not dataclasses.is_dataclass(sent)
    assert Generated.__match_args__[:2] == ("verify_id", "mobile")


def test_invalid_input_is_a_typed_error_and_sends_nothing(
    client: Client, kaleyra_emulator: Emulator
) -> None:
    with pytest.raises(kv.ValidationError) as info:
        client.generate("+12")
    assert info.value.code == "E805" and info.value.parameter == "mobile"
    assert info.value.status is None
    with pytest.raises(kv.ValidationError):
        client.generate()
    assert kaleyra_emulator.stats()["otps_generated"] == 0


def test_context_manager_and_close(kaleyra_emulator: Emulator) -> None:
    with kaleyra_emulator.client() as c:
        assert not c.closed
        c.generate(MOBILE)
    assert c.closed
    with pytest.raises(kv.InvalidConfigError):
        c.generate(MOBILE)
    c.close()  # idempotent
    assert "closed" in repr(c)


@pytest.mark.parametrize(
    "options",
    [
        {"timeout": -1.0},
        {"timeout": float("nan")},
        {"connect_timeout": float("inf")},
        {"base_url": "http://example.com"},
        {"base_url": "not a url"},
    ],
)
def test_bad_options_are_invalid_config(kaleyra_emulator: Emulator, options: dict[str, object]) -> None:
    base: dict[str, object] = {"base_url": kaleyra_emulator.base_url}
    base.update(options)
    with pytest.raises(kv.InvalidConfigError):
        Client(kaleyra_emulator.sid, kaleyra_emulator.api_key, **base)  # type: ignore[arg-type]


def test_missing_credentials(kaleyra_emulator: Emulator) -> None:
    with pytest.raises(kv.VerifyError):
        Client(base_url=kaleyra_emulator.base_url)


def test_from_env(kaleyra_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KALEYRA_SID", kaleyra_emulator.sid)
    monkeypatch.setenv("KALEYRA_API_KEY", kaleyra_emulator.api_key)
    monkeypatch.setenv("KALEYRA_BASE_URL", kaleyra_emulator.base_url)
    with Client.from_env() as c:
        sent = c.generate(MOBILE)
        assert c.check(sent.verify_id, kaleyra_emulator.last_code(sent.verify_id) or "").is_verified


def test_wrong_key_is_authentication_error(kaleyra_emulator: Emulator) -> None:
    with Client(kaleyra_emulator.sid, "wrong-key", base_url=kaleyra_emulator.base_url) as c:
        with pytest.raises(kv.AuthenticationError) as info:
            c.generate(MOBILE)
    assert info.value.status == 401


def test_tls_with_extra_ca_cert() -> None:
    with Emulator(tls=True) as emu:
        assert emu.base_url.startswith("https://") and emu.ca_cert_pem
        with emu.client(ca_cert=emu.ca_cert_pem) as c:
            assert c.generate(MOBILE).verify_id
        with emu.client() as untrusting:
            with pytest.raises(kv.VerifyError):
                untrusting.generate(MOBILE)


def test_key_never_in_repr_or_str(kaleyra_emulator: Emulator) -> None:
    key = kaleyra_emulator.api_key
    with kaleyra_emulator.client() as c:
        sent = c.generate(MOBILE)
        texts = [repr(c), str(c), repr(sent), str(sent)]
        try:
            c.generate("+12")
        except kv.VerifyError as e:
            texts += [repr(e), str(e), repr(e.__dict__)]
    with Client(kaleyra_emulator.sid, key + "x", base_url=kaleyra_emulator.base_url) as bad:
        try:
            bad.generate(MOBILE)
        except kv.VerifyError as e:
            texts += [repr(e), str(e), repr(e.__dict__)]
    assert len(texts) == 10
    for text in texts:
        assert key not in text
