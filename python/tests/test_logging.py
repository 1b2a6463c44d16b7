"""Request events reach Python's logging under `kaleyra_verify`; the key never does."""

from __future__ import annotations

import logging

import pytest

import kaleyra_verify as kv
from kaleyra_verify.testing import Emulator, Fault

MOBILE = "+12025550123"


def test_debug_events_reach_logging_without_the_key(
    kaleyra_emulator: Emulator, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    key = kaleyra_emulator.api_key
    caplog.set_level(logging.DEBUG, logger="kaleyra_verify")
    with kaleyra_emulator.client(initial_backoff=0.01) as c:
        sent = c.generate(MOBILE)
        c.check(sent.verify_id, "000000")
        kaleyra_emulator.inject(Fault.status(503))
        c.validate(sent.verify_id, kaleyra_emulator.last_code(sent.verify_id) or "")
        with pytest.raises(kv.ValidationError):
            c.generate("+12")
    with kv.Client(kaleyra_emulator.sid, key, base_url=kaleyra_emulator.base_url + "/x") as bad:
        with pytest.raises(kv.VerifyError):
            bad.generate(MOBILE)
    records = [r for r in caplog.records if r.name == "kaleyra_verify"]
    assert len(records) >= 4, caplog.text
    assert all(r.levelno == logging.DEBUG for r in records)
    text = caplog.text
    assert "route=" in text and "status=" in text, text
    assert "retrying" in text
    out, err = capfd.readouterr()
    for blob in (text, out, err, repr([r.__dict__ for r in caplog.records])):
        assert key not in blob


def test_nothing_logged_above_debug_by_default(
    kaleyra_emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="kaleyra_verify")
    with kaleyra_emulator.client() as c:
        c.generate(MOBILE)
    assert [r for r in caplog.records if r.name == "kaleyra_verify"] == []
