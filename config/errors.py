"""One error shape for rules of the job. Services raise DomainError; pages show it in a GOV.UK
error summary and the API answers 400 (bad input) or 409 (state or conflict) with the message."""


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def as_dict(self) -> dict:
        key = self.field or "non_field_errors"
        return {"detail": self.message, "code": self.code, key: [self.message]}


class ConflictError(DomainError):
    """The request was valid but the state of the records does not allow it (409)."""

    status_code = 409

    def __init__(self, message: str, *, field: str | None = None, code: str = "conflict"):
        super().__init__(message, field=field, code=code)
