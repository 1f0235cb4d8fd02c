"""Errors a service raises for the user to read. The message is Chinese-ready
(wrapped in gettext) and safe to show; views turn it into a form error or a
flash message and nothing is written."""


class DomainError(Exception):
    """A rule of the domain refused the action; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class PermissionDenied(DomainError):
    """The actor may not do this."""


class ValidationFailed(DomainError):
    """The input is wrong; ``errors`` lists every problem found."""

    def __init__(self, message: str, errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []


class Conflict(DomainError):
    """The object changed under the actor (state moved on, duplicate)."""
