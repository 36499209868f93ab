"""Domain errors. Services raise them; the API and the views turn them into responses."""

from typing import Any


class ApplicationError(Exception):
    """A request the domain refuses, with a message for people and details for machines."""

    status = 400

    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class PermissionDeniedError(ApplicationError):
    status = 403


class NotFoundError(ApplicationError):
    status = 404


class ConflictError(ApplicationError):
    """The request clashes with the record's current state (an illegal move, a stale form)."""

    status = 409
