"""Shared fixtures. The emulator itself comes from the package's pytest plugin
(`kaleyra_emulator`, registered by entry point), which these tests exercise."""

from __future__ import annotations

from typing import Iterator

import pytest

from kaleyra_verify import Client
from kaleyra_verify.testing import Emulator

MOBILE = "+12025550123"


@pytest.fixture
def client(kaleyra_emulator: Emulator) -> Iterator[Client]:
    with kaleyra_emulator.client(timeout=10.0) as c:
        yield c
