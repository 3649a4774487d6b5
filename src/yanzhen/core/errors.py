"""The one error type services raise: a code, a message in Chinese, and the fields at fault."""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """A rule of the domain refused an operation.

    ``fields`` maps a field name (or ``"__all__"``) to its message; views show each message
    beside its field and the API returns ``{"error": {"code", "message", "fields"}}``.
    """

    status = 400

    def __init__(
        self, code: str, message: str, fields: Mapping[str, str] | None = None, *, status: int = 400
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = dict(fields or {})
        self.status = status

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "fields": self.fields}


class ForbiddenError(DomainError):
    def __init__(self, message: str = "没有执行此操作的权限") -> None:
        super().__init__("forbidden", message, status=403)
