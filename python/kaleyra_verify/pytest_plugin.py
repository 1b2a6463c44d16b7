"""The pytest plugin (entry point ``pytest11``): a test that asks for the
``kaleyra_emulator`` fixture gets a running :class:`~kaleyra_verify.testing.Emulator`,
stopped after the test."""

from __future__ import annotations

from typing import Iterator

import pytest

from kaleyra_verify.testing import Emulator


@pytest.fixture
def kaleyra_emulator() -> Iterator[Emulator]:
    """A fresh emulator for one test."""
    with Emulator() as emulator:
        yield emulator
