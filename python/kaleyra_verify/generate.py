"""The answer to ``generate``: :class:`Generated` (verify_id and where the OTP went)."""

from kaleyra_verify._native import Generated

__all__ = ["Generated"]
