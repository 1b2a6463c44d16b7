"""The exceptions: :class:`VerifyError` and one subclass per kind of verify-core's
table (``ErrorKind::ALL``), named by the core's ``class_name()``. The classes are made
here at import from the native module's table, never listed by hand; ``error.pyi`` is
generated from the same table (``python/tools/gen_stubs.py``) and checked for drift."""

from __future__ import annotations

from kaleyra_verify import _native

TYPE_CHECKING = False
if TYPE_CHECKING:  # importing typing would add milliseconds to every program's start
    from typing import Any, Dict, List, Mapping, Optional, Tuple, Type


class VerifyError(Exception):
    """Base of every error the client raises. ``kind`` is the core's snake_case kind;
    ``code`` the service's code (a key of ``codes.CODES``) when there is one; ``retry_after`` the
    seconds the service asked to wait, when it said."""

    KIND: str = ""
    NUMBER: int = 0

    def __init__(
        self,
        message: str,
        *,
        kind: Optional[str] = None,
        code: Optional[str] = None,
        parameter: Optional[str] = None,
        status: Optional[int] = None,
        retry_after: Optional[float] = None,
        reference: Optional[str] = None,
        error_type: Optional[str] = None,
        service_message: Optional[str] = None,
        body_snippet: Optional[str] = None,
        cause_kind: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind if kind is not None else type(self).KIND
        self.code = code
        self.parameter = parameter
        self.status = status
        self.retry_after = retry_after
        self.reference = reference
        self.error_type = error_type
        self.service_message = service_message
        self.body_snippet = body_snippet
        self.cause_kind = cause_kind

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        fields = [repr(self.message)]
        for name in ("code", "status", "parameter", "retry_after", "reference", "cause_kind"):
            value = getattr(self, name)
            if value is not None:
                fields.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(fields)})"

    def __reduce__(self) -> Tuple[Any, ...]:
        # Rebuilt from the message, then the attributes: picklable across processes.
        return (type(self), (self.message,), dict(self.__dict__))


def _make_classes() -> Dict[str, Type[VerifyError]]:
    classes: Dict[str, Type[VerifyError]] = {}
    for number, kind, class_name, description in _native.error_kinds():
        namespace = {
            "__doc__": description,
            "__module__": "kaleyra_verify",
            "__qualname__": class_name,
            "KIND": kind,
            "NUMBER": number,
        }
        classes[kind] = type(class_name, (VerifyError,), namespace)
    return classes


ERROR_CLASSES: Mapping[str, Type[VerifyError]] = _make_classes()
"""The exception class of each kind, by the core's kind name."""

VerifyError.__module__ = "kaleyra_verify"
_native.register_errors(dict(ERROR_CLASSES))
globals().update({cls.__name__: cls for cls in ERROR_CLASSES.values()})

__all__: List[str] = ["VerifyError", "ERROR_CLASSES"] + [
    cls.__name__ for cls in ERROR_CLASSES.values()
]
