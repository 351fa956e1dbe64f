"""Block Kit as Slack checks it, so an app that breaks a rule fails here and not in production.

Every message's `blocks` (chat.postMessage, .update, .postEphemeral, response_url bodies) and
every view (views.open, .push, .update, .publish) goes through two checks:

- Slack's documented rules that slack_sdk's models leave out (`block_rules`, `element_rules`):
  unique block_id per message or view and action_id per block, `plain_text` where only that is
  allowed (header, button, option, placeholder, modal title/submit/close, input label/hint),
  empty and over-long texts, element types per block;
- then slack_sdk's own models (`Block.parse(…).to_dict()`, `View(…).validate_json()`), which
  check the limits they know, block by block.

Slack refuses the whole message with `invalid_blocks`, a view with `invalid_arguments`, each
problem in response_metadata.messages as "[ERROR] … [json-pointer:/blocks/0/text]".
"""

from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block, DividerBlock
from slack_sdk.models.views import View

from bot.slack_standin.block_rules import check_block_list, check_view_fields
from bot.slack_standin.element_rules import Problems
from bot.slack_standin.errors import SlackError

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = View.blocks_max_length
MAX_MESSAGE_TEXT = 40000
# What slack_sdk's constructors raise on JSON of the wrong shape (a missing required field, a
# string where an object goes), besides its own formation error.
_MODEL_ERRORS = (SlackObjectFormationError, TypeError, ValueError, AttributeError, KeyError)


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
        raise _refused("invalid_arguments", "must provide a modal or home view", "/view")
    problems = Problems()
    check_view_fields(problems, view)
    blocks = view.get("blocks")
    if not isinstance(blocks, list):
        problems.add("missing required field: blocks", "/view")
    else:
        check_block_list(problems, blocks, limit=MAX_VIEW_BLOCKS, pointer="/view/blocks")
    if not problems.found:
        try:
            # Only the view's own fields here: its blocks were checked above, and one by one
            # below. Slack takes an empty list of blocks (a cleared Home tab); the model does not.
            fields = {k: v for k, v in view.items() if k != "blocks"}
            View(**fields, blocks=[DividerBlock()]).validate_json()
        except _MODEL_ERRORS as error:
            problems.add(str(error), "/view")
        if isinstance(blocks, list):
            _check_models(problems, blocks, "/view/blocks")
    if problems.found:
        raise SlackError("invalid_arguments", messages=problems.found)
    return view


def check_blocks(blocks: list[Any], *, limit: int, pointer: str, error: str) -> None:
    problems = Problems()
    check_block_list(problems, blocks, limit=limit, pointer=pointer)
    if not problems.found:
        _check_models(problems, blocks, pointer)
    if problems.found:
        raise SlackError(error, messages=problems.found)


def _check_models(problems: Problems, blocks: list[Any], pointer: str) -> None:
    for index, raw in enumerate(blocks):
        where = f"{pointer}/{index}"
        try:
            block = Block.parse(raw)
            if block is None:
                problems.add(f"unsupported type: `{raw.get('type')}`", f"{where}/type")
            else:
                block.to_dict()  # validates the block and, through it, every element
        except _MODEL_ERRORS as error:
            problems.add(str(error), where)


def _refused(error: str, problem: str, where: str) -> SlackError:
    return SlackError(error, messages=[f"[ERROR] {problem} [json-pointer:{where}]"])
