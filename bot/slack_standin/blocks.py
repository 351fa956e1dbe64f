"""Block Kit limits Slack enforces, so an app that breaks them fails here and not in production."""

from typing import Any

from bot.slack_standin.errors import SlackError

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_MODAL_TITLE = 24
MAX_MESSAGE_TEXT = 40000


def check_message(params: dict[str, Any]) -> None:
    text, blocks, attachments = params.get("text"), params.get("blocks"), params.get("attachments")
    if not text and not blocks and not attachments:
        raise SlackError("no_text")
    if isinstance(text, str) and len(text) > MAX_MESSAGE_TEXT:
        raise SlackError("msg_too_long")
    if blocks is not None:
        if not isinstance(blocks, list):
            raise SlackError("invalid_blocks_format")
        check_blocks(blocks, limit=MAX_MESSAGE_BLOCKS, pointer="/blocks", error="invalid_blocks")


def check_view(view: Any) -> dict[str, Any]:
    """Return the view if Slack would take it."""
    if not isinstance(view, dict) or view.get("type") not in ("modal", "home"):
        raise _bad_view("invalid `view`", "/view")
    title = view.get("title")
    if view["type"] == "modal":
        if not isinstance(title, dict) or not title.get("text"):
            raise _bad_view("missing required field: title", "/view/title")
        if len(str(title["text"])) > MAX_MODAL_TITLE:
            too_long = f"must be less than {MAX_MODAL_TITLE + 1} characters"
            raise _bad_view(too_long, "/view/title/text")
    blocks = view.get("blocks")
    if not isinstance(blocks, list):
        raise _bad_view("missing required field: blocks", "/view/blocks")
    check_blocks(blocks, limit=MAX_VIEW_BLOCKS, pointer="/view/blocks", error="invalid_arguments")
    return view


def check_blocks(blocks: list[Any], *, limit: int, pointer: str, error: str) -> None:
    def fail(problem: str, where: str) -> SlackError:
        return SlackError(error, messages=[f"[ERROR] {problem} [json-pointer:{where}]"])

    if len(blocks) > limit:
        raise fail(f"must provide at most {limit} items", pointer)
    block_ids: set[str] = set()
    for index, block in enumerate(blocks):
        where = f"{pointer}/{index}"
        if not isinstance(block, dict) or not isinstance(block.get("type"), str):
            raise fail("missing required field: type", where)
        # A block_id names one block of a message or view; an action_id one element of a block.
        block_id = block.get("block_id")
        if isinstance(block_id, str):
            if block_id in block_ids:
                raise fail(f"duplicate block_id `{block_id}`", f"{where}/block_id")
            block_ids.add(block_id)
        action_ids: set[str] = set()
        elements = block.get("elements")
        for n, element in enumerate(elements if isinstance(elements, list) else []):
            action_id = element.get("action_id") if isinstance(element, dict) else None
            if isinstance(action_id, str):
                if action_id in action_ids:
                    raise fail(f"duplicate action_id `{action_id}`", f"{where}/elements/{n}")
                action_ids.add(action_id)
        text = block.get("text")
        shown = text.get("text") if isinstance(text, dict) else None
        if block["type"] == "section" and isinstance(shown, str) and len(shown) > MAX_SECTION_TEXT:
            raise fail(f"must be less than {MAX_SECTION_TEXT + 1} characters", f"{where}/text/text")
        if block["type"] == "header" and isinstance(shown, str) and len(shown) > MAX_HEADER_TEXT:
            raise fail(f"must be less than {MAX_HEADER_TEXT + 1} characters", f"{where}/text/text")


def _bad_view(problem: str, where: str) -> SlackError:
    return SlackError("invalid_arguments", messages=[f"[ERROR] {problem} [json-pointer:{where}]"])
