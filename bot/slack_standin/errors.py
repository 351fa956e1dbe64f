"""How a method says no: Slack answers HTTP 200 with {"ok": false, "error": ...}."""

from typing import Any


class SlackError(Exception):
    """`messages` go to response_metadata.messages ("[ERROR] … [json-pointer:…]"); `fields` sit
    beside "error", as missing_scope's "needed" and "provided" do."""

    def __init__(
        self, error: str, *, messages: list[str] | None = None, fields: dict[str, Any] | None = None
    ) -> None:
        super().__init__(error)
        self.error = error
        self.messages = messages or []
        self.fields = fields or {}

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error": self.error, **self.fields}
        if self.messages:
            body["response_metadata"] = {"messages": self.messages}
        return body
