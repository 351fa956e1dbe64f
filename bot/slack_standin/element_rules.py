"""Slack's documented rules for text objects, options and block elements, found by walking the
JSON; each problem is worded as Slack words it, "[ERROR] … [json-pointer:/blocks/0/text]".

The limits are slack_sdk's (its models carry Slack's documented numbers), so they follow the
library when Slack changes them. What slack_sdk does not check, this does: where only
`plain_text` is allowed, empty texts, required fields, element types per block.
"""

from collections.abc import Collection
from typing import Any

from slack_sdk.models.blocks import (
    ButtonElement,
    ConfirmObject,
    InputInteractiveElement,
    InteractiveElement,
    Option,
    OptionGroup,
    OverflowMenuElement,
    StaticSelectElement,
)

# A text object's own limit where no field sets a smaller one (docs.slack.dev, text object).
MAX_TEXT = 3000
MAX_RADIO_OPTIONS = 10  # radio buttons and checkboxes
MAX_INPUT_LENGTH = 3000  # plain_text_input's min_length / max_length
TEXT_KEYS = {"plain_text": {"type", "text", "emoji"}, "mrkdwn": {"type", "text", "verbatim"}}

SELECTS = {
    f"{multi}{kind}_select"
    for multi in ("", "multi_")
    for kind in ("static", "external", "users", "conversations", "channels")
}
ACTION_ELEMENTS = {
    "button", "checkboxes", "datepicker", "datetimepicker", "overflow", "radio_buttons",
    "timepicker", "workflow_button", *SELECTS,
}  # fmt: skip
ACCESSORIES = ACTION_ELEMENTS - {"datetimepicker"} | {"image"}
INPUT_ELEMENTS = {
    "checkboxes", "datepicker", "datetimepicker", "email_text_input", "file_input",
    "number_input", "plain_text_input", "radio_buttons", "rich_text_input", "timepicker",
    "url_text_input", *SELECTS,
}  # fmt: skip
CONTEXT_ELEMENTS = {"image", "plain_text", "mrkdwn"}


class Problems:
    """Everything wrong with one message or view, in the order found."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def add(self, problem: str, pointer: str) -> None:
        self.found.append(f"[ERROR] {problem} [json-pointer:{pointer}]")

    def text(
        self,
        value: Any,
        pointer: str,
        *,
        plain: bool = False,
        max_length: int = MAX_TEXT,
        required: bool = True,
    ) -> None:
        """A text object: plain_text (or mrkdwn when not `plain`), 1 to `max_length` chars."""
        if value is None:
            if required:
                self.add("missing required field: text", pointer)
            return
        if not isinstance(value, dict):
            self.add("must provide an object", pointer)
            return
        kind = value.get("type")
        if kind not in TEXT_KEYS or (plain and kind != "plain_text"):
            wanted = "plain_text" if plain else "plain_text or mrkdwn"
            self.add(f"must be a {wanted} text object (got type `{kind}`)", f"{pointer}/type")
            return
        for key in sorted(set(value) - TEXT_KEYS[kind]):
            self.add(f"invalid additional property: {key}", f"{pointer}/{key}")
        self.string(value.get("text"), f"{pointer}/text", max_length=max_length)

    def string(self, value: Any, pointer: str, *, max_length: int, min_length: int = 1) -> None:
        if not isinstance(value, str):
            self.add("must provide a string", pointer)
        elif len(value) < min_length:
            self.add(f"must be more than {min_length - 1} characters", pointer)
        elif len(value) > max_length:
            self.add(f"must be less than {max_length + 1} characters", pointer)

    def optional_string(self, value: Any, pointer: str, *, max_length: int) -> None:
        if value is not None:
            self.string(value, pointer, max_length=max_length, min_length=0)

    def element(self, element: Any, pointer: str, *, allowed: Collection[str]) -> None:
        if not isinstance(element, dict) or not isinstance(element.get("type"), str):
            self.add("missing required field: type", pointer)
            return
        kind = element["type"]
        if kind not in allowed:
            self.add(f"unsupported type: `{kind}` is not allowed here", f"{pointer}/type")
            return
        if kind in ("plain_text", "mrkdwn"):
            self.text(element, pointer)
            return
        if kind == "image":
            self.image(element, pointer)
            return
        self.optional_string(
            element.get("action_id"),
            f"{pointer}/action_id",
            max_length=InteractiveElement.action_id_max_length,
        )
        if "placeholder" in element:
            self.text(
                element["placeholder"],
                f"{pointer}/placeholder",
                plain=True,
                max_length=InputInteractiveElement.placeholder_max_length,
            )
        if "confirm" in element:
            self.confirm(element["confirm"], f"{pointer}/confirm")
        if kind == "button":
            self.button(element, pointer)
        elif kind in ("static_select", "multi_static_select"):
            self.select_options(element, pointer)
        elif kind == "overflow":
            self.options(
                element.get("options"),
                f"{pointer}/options",
                at_least=OverflowMenuElement.options_min_length,
                at_most=OverflowMenuElement.options_max_length,
            )
        elif kind in ("radio_buttons", "checkboxes"):
            self.options(
                element.get("options"),
                f"{pointer}/options",
                at_least=1,
                at_most=MAX_RADIO_OPTIONS,
                plain=False,
            )
            self.initial_options(element, pointer, element.get("options"))
        elif kind == "plain_text_input":
            for limit in ("min_length", "max_length"):
                value = element.get(limit)
                if value is not None and not (
                    isinstance(value, int) and 0 <= value <= MAX_INPUT_LENGTH
                ):
                    self.add(f"must be between 0 and {MAX_INPUT_LENGTH}", f"{pointer}/{limit}")

    def button(self, button: dict[str, Any], pointer: str) -> None:
        self.text(
            button.get("text"),
            f"{pointer}/text",
            plain=True,
            max_length=ButtonElement.text_max_length,
        )
        self.optional_string(
            button.get("value"), f"{pointer}/value", max_length=ButtonElement.value_max_length
        )
        self.optional_string(
            button.get("url"), f"{pointer}/url", max_length=ButtonElement.url_max_length
        )
        if button.get("style") not in (None, "primary", "danger"):
            self.add("must be a valid enum value: primary, danger", f"{pointer}/style")

    def select_options(self, select: dict[str, Any], pointer: str) -> None:
        options, groups = select.get("options"), select.get("option_groups")
        if (options is None) == (groups is None):
            self.add("must provide exactly one of options or option_groups", pointer)
            return
        if options is not None:
            self.options(
                options,
                f"{pointer}/options",
                at_least=1,
                at_most=StaticSelectElement.options_max_length,
            )
            self.initial_options(select, pointer, options)
            return
        if not isinstance(groups, list) or not groups:
            self.add("must provide a non-empty array", f"{pointer}/option_groups")
            return
        every: list[Any] = []
        for n, group in enumerate(groups):
            where = f"{pointer}/option_groups/{n}"
            if not isinstance(group, dict):
                self.add("must provide an object", where)
                continue
            self.text(
                group.get("label"),
                f"{where}/label",
                plain=True,
                max_length=OptionGroup.label_max_length,
            )
            self.options(
                group.get("options"),
                f"{where}/options",
                at_least=1,
                at_most=OptionGroup.options_max_length,
            )
            every += group.get("options") or []
        self.initial_options(select, pointer, every)

    def options(
        self, options: Any, pointer: str, *, at_least: int, at_most: int, plain: bool = True
    ) -> None:
        """Option objects: their text is plain_text in selects and overflow menus."""
        if not isinstance(options, list) or not at_least <= len(options) <= at_most:
            self.add(f"must provide between {at_least} and {at_most} items", pointer)
            return
        for n, option in enumerate(options):
            where = f"{pointer}/{n}"
            if not isinstance(option, dict):
                self.add("must provide an object", where)
                continue
            self.text(
                option.get("text"),
                f"{where}/text",
                plain=plain,
                max_length=Option.label_max_length,
            )
            self.string(option.get("value"), f"{where}/value", max_length=Option.value_max_length)
            if "description" in option:
                self.text(
                    option["description"],
                    f"{where}/description",
                    plain=plain,
                    max_length=Option.label_max_length,
                )

    def initial_options(self, element: dict[str, Any], pointer: str, options: Any) -> None:
        """An initial option must be one of the options, text and value alike."""
        listed = options if isinstance(options, list) else []
        chosen = element.get("initial_options")
        if "initial_option" in element:
            chosen = [element["initial_option"]]
            name = "initial_option"
        else:
            name = "initial_options"
        for n, option in enumerate(chosen if isinstance(chosen, list) else []):
            if option not in listed:
                where = f"{pointer}/{name}" + ("" if name == "initial_option" else f"/{n}")
                self.add("must match one of the provided options", where)

    def confirm(self, confirm: Any, pointer: str) -> None:
        if not isinstance(confirm, dict):
            self.add("must provide an object", pointer)
            return
        for field, plain, limit in (
            ("title", True, ConfirmObject.title_max_length),
            ("text", False, ConfirmObject.text_max_length),
            ("confirm", True, ConfirmObject.confirm_max_length),
            ("deny", True, ConfirmObject.deny_max_length),
        ):
            self.text(confirm.get(field), f"{pointer}/{field}", plain=plain, max_length=limit)

    def image(self, image: dict[str, Any], pointer: str, *, alt_max: int = 2000) -> None:
        if "image_url" not in image and "slack_file" not in image:
            self.add("must provide either image_url or slack_file", pointer)
        self.optional_string(image.get("image_url"), f"{pointer}/image_url", max_length=3000)
        self.string(image.get("alt_text"), f"{pointer}/alt_text", max_length=alt_max)
