"""The weekly digest in Slack: the channel post (continued in its thread) and each department's
detail for its managers.

The channel sees figures and customer reviews only; colleagues' comments go to the department's
managers. Nothing is cut off: what does not fit in one message continues in the next.
"""

from collections.abc import Sequence
from typing import Any

from bot.blocks import Block, context, divider, escape, header, section
from bot.blocks.actions import action_entries, attention_item
from bot.blocks.digest_parts import (
    attention_entry,
    colleagues_detail,
    correlation_words,
    customers_detail,
    figures_entry,
    fits,
    pack_counted,
    quote_entry,
    sections,
    text_length,
    trend_row,
)
from bot.digest.model import DepartmentWeek, Quote, WeekDigest
from bot.digest.text import (
    actions_words,
    breaks_down,
    celebrate,
    date_range,
    measured_words,
    plural,
    quotable,
    reasons_lines,
    resolution_words,
    standard_words,
    top_quotes,
)

Message = dict[str, Any]

DM_QUOTES = 3  # per list
DM_MATRIX_ROWS = 10  # the largest groups of raters; the rest are counted
MAX_ACTIONS = 8  # open actions listed in a manager's DM, soonest due first
_NOTE_ROOM = 200  # characters kept free for a "continued" note
_NO_REVIEWS = "No customer reviews to quote this week."


def _title(digest: WeekDigest) -> str:
    return f"Service quality — week {digest.week}"


def _dates(digest: WeekDigest) -> str:
    return f"{date_range(digest.start, digest.end)} · {escape(digest.timezone)}"


def digest_fallback_text(digest: WeekDigest) -> str:
    """The notification line: which departments need attention, in plain words."""
    names = [escape(d.name) for d in digest.departments if d.attention]
    if not names:
        return f"{_title(digest)}: nothing needs attention."
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    verb = "needs" if len(names) == 1 else "need"
    return f"{_title(digest)}: {plural(len(names), 'department')} {verb} attention — {shown}."


def _channel_body(digest: WeekDigest) -> list[tuple[Block, int, int]]:
    """Attention first, then the figures; each block with how many departments' attention and
    figures begin in it (several departments share a section, so fifty fit in a few blocks)."""
    flagged = [attention_entry(d) for d in digest.departments if d.attention]
    attention = pack_counted(
        flagged or ["Nothing stands out this week."], title="*Needs attention*"
    )
    figures = pack_counted(
        (figures_entry(d, digest.min_group_size) for d in digest.departments),
        title="*By department*",
        sep="\n\n",
    )
    return [
        *((section(text), count if flagged else 0, 0) for text, count in attention),
        (divider(), 0, 0),
        *((section(text), 0, count) for text, count in figures),
    ]


def _continued(rest: Sequence[tuple[Block, int, int]]) -> Block:
    flagged, figures = sum(item[1] for item in rest), sum(item[2] for item in rest)
    parts = [f"{plural(flagged, 'more department')} needing attention"] if flagged else []
    if figures:
        parts.append(f"figures for {plural(figures, 'department')}")
    return context(f"Continued in the thread: {' and '.join(parts) or 'the figures'}.")


def _quote_sections(title: str, quotes: Sequence[tuple[DepartmentWeek, Quote]]) -> list[Block]:
    entries = [quote_entry(dept, quote) for dept, quote in quotes] or [_NO_REVIEWS]
    return sections(entries, title=f"*{title}*", sep="\n\n")


def _channel_tail(digest: WeekDigest) -> list[Block]:
    cheers = [f"• {escape(line)}" for line in celebrate(digest)]
    broken = [f"• {escape(line)}" for line in breaks_down(digest)]
    return [
        divider(),
        *(sections(broken, title="*Where it breaks down*") if broken else []),
        *(sections(cheers, title="*Celebrate*") if cheers else []),
        *_quote_sections("Top praise", top_quotes(digest, "praise")),
        *_quote_sections("Top concerns", top_quotes(digest, "concerns")),
        context(
            "Quoted from customer reviews. Colleagues' comments go to each department's managers."
        ),
        context(
            f"The chart follows in the thread. Groups under {digest.min_group_size} are hidden."
        ),
    ]


def build_digest_messages(digest: WeekDigest) -> list[Message]:
    """The channel post first; the rest, if any, go in its thread, in reading order."""
    tail = _channel_tail(digest)
    spare_text = text_length(tail) + _NOTE_ROOM
    first = [header(_title(digest)), context(_dates(digest))]
    rest = _channel_body(digest)
    while rest and fits([*first, rest[0][0]], spare_blocks=len(tail) + 1, spare_text=spare_text):
        first.append(rest.pop(0)[0])
    if rest:
        first.append(_continued(rest))
    pages = [first + tail]
    while rest:
        page: list[Block] = []
        while rest and fits([*page, rest[0][0]], spare_blocks=1, spare_text=_NOTE_ROOM):
            page.append(rest.pop(0)[0])
        pages.append(page)
    messages: list[Message] = [{"text": digest_fallback_text(digest), "blocks": pages[0]}]
    for number, page in enumerate(pages[1:], start=2):
        label = f"{_title(digest)} — continued ({number} of {len(pages)})"
        messages.append({"text": label, "blocks": [context(label), *page]})
    return messages


def _matrix_rows(digest: WeekDigest, dept: DepartmentWeek) -> list[str]:
    k = digest.min_group_size
    cells = [c for c in digest.matrix if c.rated == dept.slug and c.responses >= k]
    cells.sort(key=lambda c: -c.responses)
    rows = []
    for cell in cells[:DM_MATRIX_ROWS]:
        rater = digest.department(cell.rater)
        name = escape(rater.name if rater else cell.rater)
        row = f"• {name}: {cell.average:.1f} ({plural(cell.responses, 'rating')})"
        if (top := cell.top_reason) is not None:
            row += f" — mostly “{escape(top.reason)}” ({top.people} of {top.of} low scores)"
        rows.append(row)
    if len(cells) > DM_MATRIX_ROWS:
        rows.append(f"…and {plural(len(cells) - DM_MATRIX_ROWS, 'more group')}.")
    return rows or [f"No department's raters reached {k} this week."]


def _dm_quotes(dept: DepartmentWeek, limit: int) -> list[Block]:
    blocks: list[Block] = []
    for title, quotes in (("Top praise", dept.praise), ("Top concerns", dept.concerns)):
        shown = [quote_entry(dept, q) for q in quotes if quotable(dept, q)][:limit]
        blocks += sections(shown or ["Nothing to quote this week."], title=f"*{title}*", sep="\n\n")
    return blocks


def _dm_blocks(digest: WeekDigest, dept: DepartmentWeek, quotes: int) -> list[Block]:
    k = digest.min_group_size
    name = escape(dept.name)
    title = f"{dept.name} — week {digest.week}"
    if len(title) <= 150:  # a header's limit; a longer name goes in the context line
        blocks = [header(title), context(_dates(digest))]
    else:
        blocks = [header(_title(digest)), context(f"*{name}* · {_dates(digest)}")]
    if dept.attention:
        # Each finding with "Act on this", which records an action on it.
        blocks.append(section("*Needs attention*"))
        blocks += [attention_item(reason, dept.slug, digest.week) for reason in dept.attention]
    if dept.actions.open:
        blocks.append(section(f"*Open actions* ({actions_words(dept.actions)})"))
        blocks += action_entries(
            [(a.id, a.what, a.owner, a.due, a.overdue) for a in dept.actions.open[:MAX_ACTIONS]],
            updatable=True,
        )
    if dept.actions.done:
        done = [f"• {escape(measured_words(d))}" for d in dept.actions.done]
        blocks += sections(done, title="*Done, and measured again*")
    standing = [escape(standard_words(dept.standard))] if dept.standard else []
    if resolved := resolution_words(dept.resolution, dept.standard):
        standing.append(f"Requests resolved: {resolved}")
    if standing:
        title = "*Your standard*" if dept.standard else "*Time to resolution*"
        blocks += sections(["\n".join(standing)], title=title)
    if picked := [escape(line) for line in reasons_lines(dept.reasons)]:
        blocks += sections(["\n".join(picked)], title="*Reasons picked*")
    blocks += sections([colleagues_detail(dept.internal, k)], title="*Colleagues*")
    blocks += sections([customers_detail(dept.external, k)], title="*Customers*")
    if dept.trend:
        rows = [
            "Colleagues: " + trend_row(dept.trend, external=False),
            "Customers: " + trend_row(dept.trend, external=True),
        ]
        blocks += sections(rows, title=f"*Last {plural(len(dept.trend), 'week')}, oldest first*")
        if dept.correlation is not None:
            blocks.append(context(correlation_words(dept.correlation)))
    blocks += sections(_matrix_rows(digest, dept), title=f"*Who rated {name}*")
    blocks += [divider(), *_dm_quotes(dept, quotes)]
    blocks.append(
        context(
            f"Only the managers of {name} see these comments; names and mentions were removed. "
            f"Groups under {k} are hidden."
        )
    )
    return blocks


def build_manager_dm(digest: WeekDigest, slug: str) -> Message:
    """One department's week for its managers, comments included, in one message."""
    dept = digest.department(slug)
    if dept is None:
        text = f"{_title(digest)}: no figures for `{escape(slug)}` this week."
        return {"text": text, "blocks": [section(text)]}
    quotes = DM_QUOTES
    blocks = _dm_blocks(digest, dept, quotes)
    # Only quotes can grow past one message; fewer of them, and say so, rather than fail.
    while quotes and not fits(blocks, spare_blocks=1, spare_text=_NOTE_ROOM):
        quotes -= 1
        blocks = _dm_blocks(digest, dept, quotes)
    if quotes < DM_QUOTES:
        blocks.append(context(f"Only the top {quotes} quotes of each kind fit in this message."))
    text = f"{_title(digest)} for {escape(dept.name)}"
    if dept.attention:
        text += f": needs attention — {escape('; '.join(dept.attention))}"
    return {"text": text, "blocks": blocks}
