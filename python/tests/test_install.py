"""The package under test is the installed one, as a user installs it."""

from __future__ import annotations

import sys
from pathlib import Path

import kaleyra_verify
from kaleyra_verify import _native
from kaleyra_verify.testing import Emulator

SOURCE = Path(__file__).resolve().parent.parent / "kaleyra_verify"


def test_imported_from_site_packages_not_the_source_tree() -> None:
    installed = Path(kaleyra_verify.__file__).resolve().parent
    assert installed != SOURCE
    assert "site-packages" in installed.parts
    assert Path(_native.__file__ or "").name.endswith((".so", ".pyd"))


def test_typed_marker_and_stubs_are_installed() -> None:
    installed = Path(kaleyra_verify.__file__).resolve().parent
    for name in ("py.typed", "_native.pyi", "error.pyi", "validate.pyi"):
        assert (installed / name).is_file(), name


def test_abi3_module() -> None:
    assert ".abi3." in Path(_native.__file__ or "").name or sys.platform == "win32"


def test_pytest_plugin_fixture_by_entry_point(kaleyra_emulator: Emulator) -> None:
    assert kaleyra_emulator.base_url.startswith("http://127.0.0.1:")
    assert kaleyra_emulator.sid and kaleyra_emulator.api_key


def test_version() -> None:
    assert kaleyra_verify.__version__.count(".") == 2
