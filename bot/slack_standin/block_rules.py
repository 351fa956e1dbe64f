"""Slack's documented rules for blocks and views that slack_sdk's models do not check."""

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ContextBlock,
    HeaderBlock,
    ImageBlock,
    InputBlock,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.slack_standin.element_rules import (
    ACCESSORIES,
    ACTION_ELEMENTS,
    CONTEXT_ELEMENTS,
    INPUT_ELEMENTS,
    Problems,
)

MAX_SECTION_FIELD = 2000
MAX_EXTERNAL_ID = 255


def check_block_list(problems: Problems, blocks: list[Any], *, limit: int, pointer: str) -> None:
    if len(blocks) > limit:
        problems.add(f"must provide at most {limit} items", pointer)
        return
    block_ids: set[str] = set()
    for index, block in enumerate(blocks):
        where = f"{pointer}/{index}"
        if not isinstance(block, dict) or not isinstance(block.get("type"), str):
            problems.add("missing required field: type", where)
            continue
        # A block_id names one block of a message or view; an action_id one element of a block.
        block_id = block.get("block_id")
        if block_id is not None:
            problems.string(block_id, f"{where}/block_id", max_length=255)
            if isinstance(block_id, str) and block_id in block_ids:
                problems.add(f"duplicate block_id `{block_id}`", f"{where}/block_id")
            block_ids.add(str(block_id))
        _check_block(problems, block, where)


def _check_block(problems: Problems, block: dict[str, Any], where: str) -> None:
    kind = block["type"]
    if kind == "section":
        _section(problems, block, where)
    elif kind == "header":
        problems.text(
            block.get("text"),
            f"{where}/text",
            plain=True,
            max_length=HeaderBlock.text_max_length,
        )
    elif kind == "context":
        _context(problems, block, where)
    elif kind == "actions":
        _actions(problems, block, where)
    elif kind == "input":
        _input(problems, block, where)
    elif kind == "image":
        problems.image(block, where, alt_max=ImageBlock.alt_text_max_length)
        if "title" in block:
            problems.text(
                block["title"],
                f"{where}/title",
                plain=True,
                max_length=ImageBlock.title_max_length,
            )


def _section(problems: Problems, block: dict[str, Any], where: str) -> None:
    text, fields = block.get("text"), block.get("fields")
    if text is None and fields is None:
        problems.add("must define either `text` or `fields`", where)
    if text is not None:
        problems.text(text, f"{where}/text", max_length=SectionBlock.text_max_length)
    if fields is not None:
        at_most = SectionBlock.fields_max_length
        for n, field in enumerate(_array(problems, fields, f"{where}/fields", at_most=at_most)):
            problems.text(field, f"{where}/fields/{n}", max_length=MAX_SECTION_FIELD)
    if "accessory" in block:
        problems.element(block["accessory"], f"{where}/accessory", allowed=ACCESSORIES)


def _context(problems: Problems, block: dict[str, Any], where: str) -> None:
    at_most = ContextBlock.elements_max_length
    elements = _array(problems, block.get("elements"), f"{where}/elements", at_most=at_most)
    for n, element in enumerate(elements):
        problems.element(element, f"{where}/elements/{n}", allowed=CONTEXT_ELEMENTS)


def _actions(problems: Problems, block: dict[str, Any], where: str) -> None:
    at_most = ActionsBlock.elements_max_length
    elements = _array(problems, block.get("elements"), f"{where}/elements", at_most=at_most)
    action_ids: set[str] = set()
    for n, element in enumerate(elements):
        problems.element(element, f"{where}/elements/{n}", allowed=ACTION_ELEMENTS)
        action_id = element.get("action_id") if isinstance(element, dict) else None
        if isinstance(action_id, str):
            if action_id in action_ids:
                problems.add(f"duplicate action_id `{action_id}`", f"{where}/elements/{n}")
            action_ids.add(action_id)


def _input(problems: Problems, block: dict[str, Any], where: str) -> None:
    problems.text(
        block.get("label"),
        f"{where}/label",
        plain=True,
        max_length=InputBlock.label_max_length,
    )
    if "hint" in block:
        problems.text(
            block["hint"], f"{where}/hint", plain=True, max_length=InputBlock.hint_max_length
        )
    if "element" not in block:
        problems.add("missing required field: element", where)
    else:
        problems.element(block["element"], f"{where}/element", allowed=INPUT_ELEMENTS)


def _array(problems: Problems, value: Any, pointer: str, *, at_most: int) -> list[Any]:
    """The array, or [] (a problem found) when it is not one of 1 to `at_most` items."""
    if not isinstance(value, list) or not 1 <= len(value) <= at_most:
        problems.add(f"must provide between 1 and {at_most} items", pointer)
        return []
    return value


def check_view_fields(problems: Problems, view: dict[str, Any]) -> None:
    """A modal's title, submit and close: plain_text, at most 24 characters; a modal with an
    input needs a submit button. A Home tab has none of them."""
    if view["type"] == "modal":
        problems.text(
            view.get("title"), "/view/title", plain=True, max_length=View.title_max_length
        )
        for button, limit in (
            ("submit", View.submit_max_length),
            ("close", View.close_max_length),
        ):
            if button in view:
                problems.text(view[button], f"/view/{button}", plain=True, max_length=limit)
        blocks = view.get("blocks")
        has_input = isinstance(blocks, list) and any(
            isinstance(b, dict) and b.get("type") == "input" for b in blocks
        )
        if has_input and "submit" not in view:
            problems.add("must provide `submit` when the view has input blocks", "/view")
    else:
        for button in ("submit", "close"):
            if button in view:
                problems.add(f"a {view['type']} view has no {button} button", f"/view/{button}")
    problems.optional_string(
        view.get("callback_id"), "/view/callback_id", max_length=View.callback_id_max_length
    )
    problems.optional_string(
        view.get("private_metadata"),
        "/view/private_metadata",
        max_length=View.private_metadata_max_length,
    )
    problems.optional_string(
        view.get("external_id"), "/view/external_id", max_length=MAX_EXTERNAL_ID
    )
