"""Validation errors as a sender or an importer reads them: `field.path: reason`."""

from collections.abc import Sequence

from pydantic_core import ErrorDetails


def describe_errors(errors: Sequence[ErrorDetails]) -> str:
    """`requester.email: value is not a valid email address; id: field required`."""
    parts = []
    for error in errors[:5]:  # enough to fix a payload, not a wall of text
        where = ".".join(str(part) for part in error["loc"]) or "body"
        message = str(error["msg"])
        if message[1:2].islower():  # "Field required" reads better mid-sentence; "URL" stays
            message = message[:1].lower() + message[1:]
        parts.append(f"{where}: {message}")
    return "; ".join(parts)
