"""The answers to ``validate`` and ``check``. :class:`CheckOutcome` is an enum made at
import from the core's ``CheckOutcome::ALL`` (never listed by hand here; ``validate.pyi``
is generated from the same table and checked for drift), so a login handler can match on
``CheckOutcome.VERIFIED``, ``CheckOutcome.WRONG_CODE``, ..."""

from __future__ import annotations

import enum

from kaleyra_verify import _native

TYPE_CHECKING = False
if TYPE_CHECKING:  # importing typing would add milliseconds to every program's start
    from typing import Dict, Tuple
from kaleyra_verify._native import Validated

_ROWS: Dict[str, Tuple[int, str, bool]] = {
    name: (number, description, verified)
    for number, name, description, verified in _native.check_outcomes()
}


class _CheckOutcomeBase(enum.Enum):
    @property
    def number(self) -> int:
        """The core's stable number for this outcome."""
        return _ROWS[self.value][0]

    @property
    def description(self) -> str:
        """One line saying what it means."""
        return _ROWS[self.value][1]

    @property
    def is_verified(self) -> bool:
        """True only for ``CheckOutcome.VERIFIED``."""
        return _ROWS[self.value][2]


CheckOutcome = _CheckOutcomeBase(  # type: ignore[call-overload,misc]
    "CheckOutcome",
    [(name.upper(), name) for name in _ROWS],
    module="kaleyra_verify",
    qualname="CheckOutcome",
)
CheckOutcome.__doc__ = "How checking a code ended: the outcomes of the core's table."

_native.register_outcomes({member.value: member for member in CheckOutcome})

__all__ = ["CheckOutcome", "Validated"]
