"""Pieces of the digest's Block Kit: a department's lines, quotes, and packing text into sections
and messages without cutting anything off."""

import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

from bot.blocks import MAX_MESSAGE_BLOCKS, MAX_SECTION_TEXT, Block, escape, section
from bot.digest.model import DepartmentWeek, External, Internal, Quote, TrendPoint
from bot.digest.text import (
    QUOTE_LENGTH,
    actions_words,
    cases_words,
    change,
    measured_words,
    percent,
    plural,
    quote_source,
    resolution_words,
    signed,
    target_words,
    week_label,
)
from bot.privacy.scrub import shorten

# Slack rejects a message whose blocks hold about 12,000 characters in all (msg_blocks_too_long,
# undocumented); stay well under it, which also keeps a message short enough to read on a phone.
MESSAGE_TEXT_BUDGET = 8000
DONE_SHOWN = 2  # done actions, newest first, measured again in a department's entry


def split_long(text: str, limit: int = MAX_SECTION_TEXT) -> list[str]:
    """Pieces of at most `limit` characters, cut between lines, else between words."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        for part in textwrap.wrap(line, limit, break_on_hyphens=False) or [""]:
            joined = f"{current}\n{part}" if current else part
            if len(joined) <= limit:
                current = joined
            else:
                pieces.append(current)
                current = part
    return [*pieces, current] if current else pieces


def pack_counted(
    entries: Iterable[str], *, title: str = "", sep: str = "\n", limit: int = MAX_SECTION_TEXT
) -> list[tuple[str, int]]:
    """Join entries into as few texts of at most `limit` characters as they fit in, each with
    how many entries begin in it (an entry too long for one text goes on in the next)."""
    chunks: list[tuple[str, int]] = []
    current, count = title, 0
    for entry in entries:
        for index, piece in enumerate(split_long(entry, limit)):
            joined = f"{current}{sep}{piece}" if current else piece
            if len(joined) <= limit:
                current = joined
            else:
                chunks.append((current, count))
                current, count = piece, 0
            count += index == 0
    return [*chunks, (current, count)] if current else chunks


def pack(
    entries: Iterable[str], *, title: str = "", sep: str = "\n", limit: int = MAX_SECTION_TEXT
) -> list[str]:
    return [text for text, _ in pack_counted(entries, title=title, sep=sep, limit=limit)]


def sections(entries: Iterable[str], *, title: str = "", sep: str = "\n") -> list[Block]:
    return [section(text) for text in pack(entries, title=title, sep=sep)]


def _texts(value: Any) -> int:
    if isinstance(value, dict):
        return sum(
            len(v) if k == "text" and isinstance(v, str) else _texts(v) for k, v in value.items()
        )
    if isinstance(value, list):
        return sum(_texts(v) for v in value)
    return 0


def text_length(blocks: Sequence[Block]) -> int:
    """Characters of text across blocks, as Slack counts them against a message."""
    return sum(_texts(block) for block in blocks)


def fits(blocks: Sequence[Block], *, spare_blocks: int = 0, spare_text: int = 0) -> bool:
    return (
        len(blocks) + spare_blocks <= MAX_MESSAGE_BLOCKS
        and text_length(blocks) + spare_text <= MESSAGE_TEXT_BUDGET
    )


def internal_figure(i: Internal, k: int) -> str:
    """'4.1 ▲0.3 (12 responses, 80% answered)', 'hidden (<3 responses)' or 'no data'."""
    if i.suppressed:
        return f"hidden (<{k} responses)"
    if i.average is None:
        return "no data"
    details = [] if i.responses is None else [plural(i.responses, "response")]
    if (rate := i.response_rate) is not None:
        details.append(f"{percent(rate)} answered")
    head = f"{i.average:.1f} {change(i.average, i.previous_average)}".rstrip()
    return f"{head} ({', '.join(details)})" if details else head


def external_figure(e: External, k: int) -> str:
    """'3.2★ ▼0.3 (40 reviews)', 'hidden (<3 reviews)' or 'no data'."""
    if e.suppressed:
        return f"hidden (<{k} reviews)"
    if e.average_rating is None:
        return "no data"
    head = f"{e.average_rating:.1f}★ {change(e.average_rating, e.previous_average_rating)}"
    head = head.rstrip()
    return head if e.reviews is None else f"{head} ({plural(e.reviews, 'review')})"


def tone(dept: DepartmentWeek) -> str:
    """'comments +0.31 · reviews -0.12', or '' when neither carried a signal."""
    parts = []
    if not dept.internal.suppressed and dept.internal.sentiment is not None:
        parts.append(f"comments {signed(dept.internal.sentiment)}")
    if not dept.external.suppressed and dept.external.sentiment is not None:
        parts.append(f"reviews {signed(dept.external.sentiment)}")
    return " · ".join(parts)


def figures_entry(dept: DepartmentWeek, k: int) -> str:
    """One department in the channel digest: a few short lines that read well on a phone."""
    lines = [
        f"*{escape(dept.name)}*",
        f"Colleagues: {internal_figure(dept.internal, k)}",
        f"Customers: {external_figure(dept.external, k)}",
    ]
    if mood := tone(dept):
        lines.append(f"Tone: {mood}")
    if dept.standard and (target := target_words(dept.standard)):
        lines.append(f"Standard: {target}")
    if resolved := resolution_words(dept.resolution, dept.standard):
        lines.append(f"Resolved: {resolved}")
    if words := actions_words(dept.actions):
        lines.append(f"Actions: {words}")
    lines += [f"Done: {escape(measured_words(d))}" for d in dept.actions.done[:DONE_SHOWN]]
    if words := cases_words(dept.actions.cases):
        lines.append(f"Follow-up cases: {words}")
    return "\n".join(lines)


def attention_entry(dept: DepartmentWeek) -> str:
    return f"• *{escape(dept.name)}* — {escape('; '.join(dept.attention))}"


def quote_mrkdwn(text: str, limit: int = QUOTE_LENGTH) -> str:
    """The quote shortened so that, once escaped, it is still at most `limit` characters."""
    room = limit
    while True:
        escaped = escape(shorten(text, room))
        if len(escaped) <= limit or room <= 1:
            return escaped
        room -= len(escaped) - limit


def quote_entry(dept: DepartmentWeek, quote: Quote) -> str:
    source = escape(quote_source(quote))
    return f">{quote_mrkdwn(quote.text)}\n— *{escape(dept.name)}* · {source}"


def trend_row(points: Sequence[TrendPoint], *, external: bool) -> str:
    """'W40 4.0 · W41 4.2 · W42 –', oldest first."""
    cells = []
    for point in points:
        value = point.external if external else point.internal
        cells.append(f"{week_label(point.week)} {'–' if value is None else f'{value:.1f}'}")
    return " · ".join(cells)


def _since(current: float, previous: float | None, *, star: str = "") -> str:
    if previous is None:
        return ""
    return f" {change(current, previous)} (last week {previous:.1f}{star})"


def _share(now: float, before: float | None) -> str:
    return percent(now) + ("" if before is None else f" (last week {percent(before)})")


def colleagues_detail(i: Internal, k: int) -> str:
    """What colleagues said, for the department's managers."""
    if i.suppressed:
        return (
            f"Fewer than {k} colleagues answered this week; "
            "nothing is shown so that no one can be identified."
        )
    if i.average is None:
        return "No colleague rated the department this week (no data)."
    lines = [f"Average {i.average:.1f}{_since(i.average, i.previous_average)}"]
    answered = [] if i.responses is None else [plural(i.responses, "response")]
    if (rate := i.response_rate) is not None:
        answered.append(f"{percent(rate)} of polls answered")
    if answered:
        lines.append(" · ".join(answered))
    lines.append(f"Comment tone {'no data' if i.sentiment is None else signed(i.sentiment)}")
    if i.negative_share is not None:
        lines.append(f"Negative comments {_share(i.negative_share, i.previous_negative_share)}")
    return "\n".join(lines)


def customers_detail(e: External, k: int) -> str:
    """What customers wrote, for the department's managers."""
    if e.suppressed:
        return f"Fewer than {k} reviews this week — hidden for privacy."
    if e.average_rating is None:
        return "No customer reviews this week (no data)."
    since = _since(e.average_rating, e.previous_average_rating, star="★")
    lines = [f"Rating {e.average_rating:.1f}★{since}"]
    if e.reviews is not None:
        lines.append(plural(e.reviews, "review"))
    lines.append(f"Review tone {'no data' if e.sentiment is None else signed(e.sentiment)}")
    if e.negative_share is not None:
        lines.append(f"Negative reviews {_share(e.negative_share, e.previous_negative_share)}")
    return "\n".join(lines)


def correlation_words(r: float) -> str:
    if r >= 0.5:
        how = "moved together"
    elif r <= -0.5:
        how = "moved in opposite directions"
    else:
        how = "showed no clear link"
    return f"Over these weeks colleagues' and customers' ratings {how} (r = {r:+.2f})."
