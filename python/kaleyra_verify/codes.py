"""The service's error codes, from verify-core's table (``CODES``): ``codes.CODES`` maps
each code to its :class:`CodeInfo`, and every code is a constant of this module whose
value is the code itself, derived at import, never typed by hand."""

from __future__ import annotations

from typing import Mapping, NamedTuple, Optional

from kaleyra_verify import _native


class CodeInfo(NamedTuple):
    """One row of the code table."""

    code: str
    meaning: str
    category: str
    parameter: Optional[str]
    http_status: int


CODES: Mapping[str, CodeInfo] = {row[0]: CodeInfo(*row) for row in _native.codes()}
"""Every code of the table, by code."""


def __getattr__(name: str) -> str:
    if name in CODES:
        return name
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *CODES])


__all__ = ["CODES", "CodeInfo"]
