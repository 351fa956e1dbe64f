"""`/quality report` in Slack: one department in detail, or every department in short.

Figures are for everyone; colleagues' comments appear only for the departments the caller may
see, and the message says whose comments it shows so the caller can audit it. Always one
message: what does not fit is summarised in a note rather than cut off or split.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from bot.blocks import Block, context, escape, header, section
from bot.blocks.digest_parts import (
    external_figure,
    fits,
    internal_figure,
    pack_counted,
    quote_mrkdwn,
    sections,
    trend_row,
)
from bot.digest.model import External, Internal
from bot.digest.report import Comment, DepartmentReport, Report
from bot.digest.text import (
    actions_words,
    change,
    date_range,
    measured_words,
    plural,
    reasons_lines,
    resolution_words,
    signed,
    standard_words,
    week_label,
)

_NOTE_ROOM = 300  # characters kept free for the closing notes


@dataclass(frozen=True)
class ReportMessage:
    text: str
    blocks: list[Block]
    comments_shown: frozenset[str]  # departments whose comments are in `blocks`: for the audit


def build_report_message(
    report: Report, *, comments_of: Collection[str] = (), note: str | None = None
) -> ReportMessage:
    """The report as one ephemeral message; comments only of departments in `comments_of`;
    `note` is said first, in the closing notes."""
    if len(report.departments) == 1:
        return _one(report, report.departments[0], comments_of, note)
    return _all(report, comments_of, note)


def _span(report: Report) -> str:
    n = len(report.weeks)
    return "last week" if n == 1 else f"last {n} weeks"


def _dates(report: Report) -> str:
    first, last = week_label(report.weeks[0]), week_label(report.weeks[-1])
    weeks = first if first == last else f"{first}–{last}"
    return f"{weeks} · {date_range(report.start, report.end)} · {escape(report.timezone)}"


def _privacy_note(report: Report) -> str:
    n = len(report.weeks)
    before = "the week before" if n == 1 else f"the {n} weeks before"
    compared = any(
        d.internal.previous_average is not None or d.external.previous_average_rating is not None
        for d in report.departments
    )
    return (
        (f"▲▼ against {before}. " if compared else "")
        + f"A week with fewer than {report.min_group_size} answers is hidden (–) so that no one "
        "can be identified. Only you can see this."
    )


def _trend(dept: DepartmentReport, *, external: bool) -> str | None:
    """The weekly averages, when there is more than one week and any of them is shown."""
    values = [p.external if external else p.internal for p in dept.trend]
    if len(values) < 2 or all(v is None for v in values):
        return None
    return trend_row(dept.trend, external=external)


def _figures(dept: DepartmentReport, k: int, *, title: bool) -> str:
    lines = [f"*{escape(dept.name)}*"] if title else []
    for label, figure, trend in (
        ("Colleagues", internal_figure(dept.internal, k), _trend(dept, external=False)),
        ("Customers", external_figure(dept.external, k), _trend(dept, external=True)),
    ):
        lines.append(f"{label}: {figure}")
        if trend:
            lines.append(f"_{trend}_")
    tones = []
    if not dept.internal.suppressed and dept.internal.sentiment is not None:
        tones.append(f"comments {signed(dept.internal.sentiment)}")
    if not dept.external.suppressed and dept.external.sentiment is not None:
        tones.append(f"reviews {signed(dept.external.sentiment)}")
    if tones:
        lines.append(f"Tone: {' · '.join(tones)}")
    if dept.standard:
        lines.append(f"Standard: {escape(standard_words(dept.standard))}")
    if resolved := resolution_words(dept.resolution, dept.standard):
        lines.append(f"Resolved: {resolved}")
    lines += [f"Reasons, {escape(line)}" for line in reasons_lines(dept.reasons)]
    if words := actions_words(dept.actions):
        lines.append(f"Actions: {words}")
    lines += [f"Done: {escape(measured_words(d))}" for d in dept.actions.done]
    return "\n".join(lines)


def _short(figure: Internal | External) -> str:
    """'4.1 ▲0.3 (12)', or 'hidden'."""
    if figure.suppressed:
        return "hidden"
    if isinstance(figure, Internal):
        average, previous, count = figure.average, figure.previous_average, figure.responses
    else:
        average, previous, count = (
            figure.average_rating,
            figure.previous_average_rating,
            figure.reviews,
        )
    if average is None:
        return "–"
    head = f"{average:.1f} {change(average, previous)}".rstrip()
    return head if count is None else f"{head} ({count})"


def _line(dept: DepartmentReport) -> str:
    return (
        f"*{escape(dept.name)}* · colleagues {_short(dept.internal)}"
        f" · customers {_short(dept.external)}"
    )


def _comment(c: Comment) -> str:
    return f">{quote_mrkdwn(c.text)}\n— {week_label(c.week)}"


def _comment_blocks(dept: DepartmentReport, *, title: bool) -> list[Block]:
    name = f" — {escape(dept.name)}" if title else ""
    blocks: list[Block] = []
    for heading, comments in (("Most positive", dept.praise), ("Most negative", dept.concerns)):
        if comments:
            entries = [_comment(c) for c in comments]
            blocks += sections(entries, title=f"*{heading} comments{name}*", sep="\n\n")
    return blocks


def _may_show(dept: DepartmentReport, comments_of: Collection[str]) -> bool:
    return dept.comments_read and dept.slug in comments_of


def _one(
    report: Report, dept: DepartmentReport, comments_of: Collection[str], note: str | None
) -> ReportMessage:
    k = report.min_group_size
    title = f"{dept.name} — {_span(report)}"
    blocks = [header(title) if len(title) <= 150 else header(f"Quality — {_span(report)}")]
    blocks.append(context(_dates(report)))
    blocks += sections([_figures(dept, k, title=len(title) > 150)])
    notes = [_privacy_note(report)]
    shown: frozenset[str] = frozenset()
    if _may_show(dept, comments_of):
        quotes = _comment_blocks(dept, title=False)
        if not quotes:
            notes.insert(0, "No comments to quote from the weeks shown.")
        elif fits([*blocks, *quotes], spare_blocks=1, spare_text=_NOTE_ROOM):
            blocks += quotes
            shown = frozenset({dept.slug})
            notes.insert(0, _comments_note([dept]))
        else:  # a comment is at most a few hundred characters: only an absurd name gets here
            notes.insert(0, "The comments did not fit in this message.")
    elif note is None:
        notes.insert(0, f"Colleagues' comments are for the managers of {escape(dept.name)}.")
    if note is not None:
        notes.insert(0, note)
    blocks.append(context(" ".join(notes)))
    return ReportMessage(f"{escape(dept.name)}, {_span(report)}", blocks, shown)


def _comments_note(depts: Sequence[DepartmentReport]) -> str:
    names = ", ".join(escape(d.name) for d in depts)
    return (
        f"You see the comments of {names} as a manager or admin; names and mentions were "
        "removed, and this view is recorded in the audit log."
    )


def _all(report: Report, comments_of: Collection[str], note: str | None) -> ReportMessage:
    k, depts = report.min_group_size, report.departments
    head = [header(f"Service quality — {_span(report)}"), context(_dates(report))]
    notes = [_privacy_note(report)]
    body = sections((_figures(d, k, title=True) for d in depts), sep="\n\n")
    if not fits([*head, *body], spare_blocks=2, spare_text=_NOTE_ROOM):
        # Too many for the detail: a line each, and the detail one department at a time.
        notes.insert(0, "`/quality report <department>` shows one department's weekly trend.")
        body, listed = [], 0
        for text, count in pack_counted(_line(d) for d in depts):
            if not fits([*head, *body, section(text)], spare_blocks=2, spare_text=_NOTE_ROOM):
                break
            body.append(section(text))
            listed += count
        if listed < len(depts):
            notes.insert(0, f"…and {plural(len(depts) - listed, 'more department')} not shown.")
    blocks = [*head, *body]
    shown: list[DepartmentReport] = []
    left: list[DepartmentReport] = []
    for dept in (d for d in depts if d.slug in comments_of):
        if not dept.comments_read:  # not read for the overview: too many to show at once
            left.append(dept)
            continue
        quotes = _comment_blocks(dept, title=True)
        if quotes and fits([*blocks, *quotes], spare_blocks=1, spare_text=_NOTE_ROOM + 200):
            blocks += quotes
            shown.append(dept)
        elif quotes:
            left.append(dept)
    if left:
        more, slug = plural(len(left), "more department"), escape(left[0].slug)
        ask = f"`/quality report {slug}`"
        notes.insert(0, f"Comments of {more} are not shown here: {ask} shows one department's.")
    if shown:
        notes.insert(0, _comments_note(shown))
    if note is not None:
        notes.insert(0, note)
    blocks.append(context(" ".join(notes)))
    text = f"Service quality, {_span(report)}: {plural(len(depts), 'department')}"
    return ReportMessage(text, blocks, frozenset(d.slug for d in shown))
