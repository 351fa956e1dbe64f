"""The digest as a terminal report (`quality-bot digest`), and the formatting all renderings share.

A figure is never shown as 0 when it is missing: a group below the threshold reads "hidden", a
group without data reads "–" (or "no data").
"""

import textwrap
from datetime import date
from typing import Literal

from bot.config import HIGH, LOW
from bot.digest.model import (
    Actions,
    BandReasons,
    Cases,
    DepartmentWeek,
    DoneAction,
    External,
    Internal,
    Quote,
    Reasons,
    Resolution,
    Standard,
    WeekDigest,
)
from bot.privacy.scrub import shorten

QUOTE_LENGTH = 280
CHANNEL_QUOTES = 3  # per list, across departments
NO_DATA = "–"
HIDDEN = "hidden"
WIDTH = 88

Which = Literal["praise", "concerns"]


def change(current: float | None, previous: float | None) -> str:
    """'▲0.3' or '▼0.3' against last week, '±0.0' when flat, '' when a week has no figure."""
    if current is None or previous is None:
        return ""
    diff = round(current - previous, 1)
    if diff > 0:
        return f"▲{diff:.1f}"
    if diff < 0:
        return f"▼{-diff:.1f}"
    return "±0.0"


def date_range(start: date, end: date) -> str:
    """'16–22 Nov 2026', '30 Nov – 6 Dec 2026' or '28 Dec 2026 – 3 Jan 2027'."""
    if start.year != end.year:
        return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"
    if start.month != end.month:
        return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"
    return f"{start.day}–{end.day} {end:%b %Y}"


def week_label(week: str) -> str:
    """'2026-W40' → 'W40': the year is the same all along a trend row."""
    return week.rpartition("-")[2] or week


def signed(value: float) -> str:
    return f"{value:+.2f}"


def percent(value: float) -> str:
    return f"{value:.0%}"


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def target_words(standard: Standard) -> str | None:
    """'target 4.2 met', 'target 4.2 missed', 'target 4.2: too few answers to say', or None
    without a target."""
    if standard.target is None:
        return None
    target = f"target {standard.target:g}"
    if standard.target_met is None:
        return f"{target}: too few answers to say"
    return f"{target} {'met' if standard.target_met else 'missed'}"


def resolution_words(resolution: Resolution, standard: Standard | None) -> str | None:
    """'median 5.5 h, 90% within 9.0 h (8 requests; promised within 8 h)', or None when
    hidden."""
    if resolution.suppressed or resolution.requests is None:
        return None
    words = (
        f"median {resolution.median_hours:g} h, 90% within {resolution.p90_hours:g} h"
        f" ({plural(resolution.requests, 'request')}"
    )
    if standard is not None and standard.resolve_within_hours is not None:
        words += f"; promised within {standard.resolve_within_hours:g} h"
    return words + ")"


def standard_words(standard: Standard) -> str:
    """The promise and how the week measured up to it, in one plain line."""
    parts = [f"“{standard.promise}”"] if standard.promise else []
    if words := target_words(standard):
        parts.append(words)
    if standard.resolve_within_hours is not None:
        parts.append(f"resolves requests within {standard.resolve_within_hours:g} h")
    return "; ".join(parts)


def actions_words(actions: Actions) -> str | None:
    """'2 open, 1 overdue', or None without open actions."""
    if not actions.open:
        return None
    words = f"{len(actions.open)} open"
    return words + (f", {actions.overdue} overdue" if actions.overdue else "")


def cases_words(cases: Cases) -> str | None:
    """'4 · claimed in 1.5 h, resolved in 20.0 h (medians) · 75% resolved', or None."""
    if cases.cases is None:
        return None
    parts = [str(cases.cases)]
    timed = []
    if cases.claim_median_hours is not None:
        timed.append(f"claimed in {cases.claim_median_hours:g} h")
    if cases.resolve_median_hours is not None:
        timed.append(f"resolved in {cases.resolve_median_hours:g} h")
    if timed:
        parts.append(", ".join(timed) + " (medians)")
    if cases.resolved_share is not None:
        parts.append(f"{percent(cases.resolved_share)} resolved")
    return " · ".join(parts)


def measured_words(done: DoneAction) -> str:
    """'Swap the VPN gateway (done in 2026-W47): colleagues 1.7 → 4.3 (3 → 5 responses)', or
    '…: not enough answers yet to compare' (or too few before it)."""
    head = f"{done.what} (done in {done.done_week})"
    before, since = done.before, done.since
    if before.average is None:
        return f"{head}: too few answers before it to compare"
    if since.average is None:
        return f"{head}: not enough answers yet to compare"
    words = (
        f"{head}: colleagues {before.average:.1f} → {since.average:.1f} "
        f"({before.responses} → {since.responses} responses)"
    )
    if (top := before.top_low_reason) is not None:
        now = since.top_low_reason
        after = f"“{now.reason}”" if now else "none shown"
        words += f"; top low reason “{top.reason}” → {after}"
    return words


def reasons_words(found: BandReasons, which: str, limit: int = 3) -> str | None:
    """'“slow” in 6 of 9 low scores, “had to chase” in 4 of 9', or None when none is shown."""
    if found.scores is None or not found.picked:
        return None
    said = [f"“{p.reason}” in {p.people} of {p.of}" for p in found.picked[:limit]]
    said[0] += f" {which} scores"
    return ", ".join(said)


def reasons_lines(found: Reasons, limit: int = 5) -> list[str]:
    """'Low: “slow” in 6 of 9 low scores, …' and 'High: …', for the bands that show any."""
    bands = (("Low", found.low, LOW), ("High", found.high, HIGH))
    return [
        f"{label}: {words}"
        for label, band, which in bands
        if (words := reasons_words(band, which, limit)) is not None
    ]


def breaks_down(digest: WeekDigest) -> list[str]:
    """Where service broke down, by department: the reasons picked with low scores."""
    return [
        f"{d.name}: {words}"
        for d in digest.departments
        if (words := reasons_words(d.reasons.low, LOW)) is not None
    ]


CELEBRATE_NAMES = 10  # targets met, named; the rest counted
MOST_IMPROVED = 3


def celebrate(digest: WeekDigest) -> list[str]:
    """What went well, in plain lines: the targets met and the most improved departments,
    from shown averages only (a hidden one is neither met nor improved), the reasons most
    picked with high scores, and the thanks given (each under k)."""
    lines = []
    met = [
        f"{d.name} {now:g} (target {target:g})"
        for d in digest.departments
        if d.standard
        and d.standard.target_met
        and (target := d.standard.target) is not None
        and (now := d.internal.average) is not None
    ]
    if met:
        more = len(met) - CELEBRATE_NAMES
        lines.append(
            f"Targets met: {', '.join(met[:CELEBRATE_NAMES])}"
            + (f", and {more} more" if more > 0 else "")
        )
    moved = [
        (
            round(now - before, 1),
            f"{d.name}, colleagues {before:.1f} → {now:.1f} ({change(now, before)})",
        )
        for d in digest.departments
        if (now := d.internal.average) is not None
        and (before := d.internal.previous_average) is not None
    ]
    best = [words for gain, words in sorted(moved, key=lambda m: -m[0])[:MOST_IMPROVED] if gain > 0]
    if best:
        lines.append(f"Most improved: {'; '.join(best)}")
    went_well = [
        f"{d.name} {words}"
        for d in digest.departments
        if (words := reasons_words(d.reasons.high, HIGH, limit=1)) is not None
    ]
    if went_well:
        lines.append(f"Went well: {'; '.join(went_well)}")
    thanked = [f"{d.name} {plural(d.thanked, 'time')}" for d in digest.departments if d.thanked]
    if thanked:
        lines.append(f"Thanked by colleagues: {', '.join(thanked)}")
    return lines


def quotable(dept: DepartmentWeek, quote: Quote) -> bool:
    """A quote from a group below the threshold is never shown, whatever the data says."""
    group = dept.internal if quote.kind == "comment" else dept.external
    return not group.suppressed


def quote_source(quote: Quote) -> str:
    if quote.kind == "comment":
        return "colleague"
    return quote.source or "customer review"


def top_quotes(
    digest: WeekDigest, which: Which, *, limit: int = CHANNEL_QUOTES
) -> list[tuple[DepartmentWeek, Quote]]:
    """Customer reviews only: the most positive praise or most negative concerns."""
    found = [
        (dept, quote)
        for dept in digest.departments
        for quote in (dept.praise if which == "praise" else dept.concerns)
        if quote.kind == "review" and quotable(dept, quote)
    ]
    sign = -1 if which == "praise" else 1
    found.sort(key=lambda pair: sign * pair[1].polarity)
    return found[:limit]


def _average(value: float | None) -> str:
    return NO_DATA if value is None else f"{value:.1f}"


def _count(value: int | None) -> str:
    return NO_DATA if value is None else str(value)


def _internal_cells(i: Internal) -> list[str]:
    if i.suppressed:
        return [HIDDEN, "", "", "", ""]
    rate = i.response_rate
    return [
        _average(i.average),
        change(i.average, i.previous_average) or NO_DATA,
        _count(i.responses),
        NO_DATA if rate is None else percent(rate),
        NO_DATA if i.sentiment is None else signed(i.sentiment),
    ]


def _external_cells(e: External) -> list[str]:
    if e.suppressed:
        return [HIDDEN, "", ""]
    return [
        _average(e.average_rating),
        change(e.average_rating, e.previous_average_rating) or NO_DATA,
        _count(e.reviews),
    ]


_HEAD = ["avg", "Δ", "resp", "rate", "tone", "avg", "Δ", "revs"]
_CELLS = [6, 5, 5, 5, 6, 6, 5, 5]  # right-aligned widths
_GAP = {5: "    "}  # between the colleagues' and the customers' columns


def _line(name: str, cells: list[str], name_width: int) -> str:
    out = name.ljust(name_width)
    for index, (cell, width) in enumerate(zip(cells, _CELLS, strict=True)):
        out += _GAP.get(index, " ") + cell.rjust(width)
    return out.rstrip()


def _table(digest: WeekDigest) -> list[str]:
    name_width = max([len("Department"), *(len(d.name) for d in digest.departments)])
    customers_at = name_width + sum(1 + width for width in _CELLS[:5]) + len(_GAP[5])
    groups = (" " * (name_width + 1) + "Colleagues").ljust(customers_at) + "Customers"
    lines = [groups, _line("Department", _HEAD, name_width)]
    lines.append("-" * len(lines[-1]))
    for dept in digest.departments:
        cells = _internal_cells(dept.internal) + _external_cells(dept.external)
        lines.append(_line(dept.name, cells, name_width))
    return lines


def _wrapped(text: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


def _attention(digest: WeekDigest) -> list[str]:
    lines = ["Needs attention"]
    flagged = [d for d in digest.departments if d.attention]
    for dept in flagged:
        lines += _wrapped(f"{dept.name} — {'; '.join(dept.attention)}")
    if not flagged:
        lines.append("  Nothing stands out this week.")
    return lines


def _standards(digest: WeekDigest) -> list[str]:
    lines = ["Standards and time to resolution"]
    for dept in digest.departments:
        said = [standard_words(dept.standard)] if dept.standard else []
        if words := resolution_words(dept.resolution, dept.standard):
            said.append(f"resolved: {words}")
        if said:
            lines += _wrapped(f"{dept.name} — {'; '.join(said)}")
    return lines if len(lines) > 1 else []


def _actions(digest: WeekDigest) -> list[str]:
    lines = ["Actions (open at the end of the week, and done lately, measured again)"]
    for dept in digest.departments:
        for a in dept.actions.open:
            late = " (overdue)" if a.overdue else ""
            lines += _wrapped(f"{dept.name} — {a.what}; due {a.due.isoformat()}{late}")
        for done in dept.actions.done:
            lines += _wrapped(f"{dept.name} — done: {measured_words(done)}")
    return lines if len(lines) > 1 else []


def _breaks_down(digest: WeekDigest) -> list[str]:
    lines = [wrapped for line in breaks_down(digest) for wrapped in _wrapped(line)]
    return ["Where it breaks down (reasons picked with low scores)", *lines] if lines else []


def _matrix(digest: WeekDigest) -> list[str]:
    k = digest.min_group_size
    lines = [f"Who rated whom (groups of {k} or more)"]
    cells = [c for c in digest.matrix if c.responses >= k]
    lines += [
        f"  {c.rater} → {c.rated}: {c.average:.1f} ({c.responses})"
        + (f" — mostly “{t.reason}” ({t.people} of {t.of} low)" if (t := c.top_reason) else "")
        for c in cells
    ]
    if not cells:
        lines.append("  No pair of departments reached the threshold.")
    return lines


def _celebrate(digest: WeekDigest) -> list[str]:
    lines = [wrapped for line in celebrate(digest) for wrapped in _wrapped(line)]
    return ["Celebrate", *lines] if lines else []


def _quotes(digest: WeekDigest, which: Which) -> list[str]:
    title = "Top praise" if which == "praise" else "Top concerns"
    lines = [f"{title} (customer reviews)"]
    for dept, quote in top_quotes(digest, which):
        lines += _wrapped(f'"{shorten(quote.text)}" — {dept.name}, {quote_source(quote)}')
    if len(lines) == 1:
        lines.append("  No customer reviews to quote this week.")
    return lines


def render_text(digest: WeekDigest) -> str:
    """The plain-text report `quality-bot digest` prints: no colour, no markup."""
    k = digest.min_group_size
    title = f"Service quality — week {digest.week}"
    sections = [
        [
            title,
            f"{date_range(digest.start, digest.end)} · {digest.timezone}",
            "=" * len(title),
        ],
        _table(digest),
        [
            f"hidden: fewer than {k} responses — hidden for privacy. {NO_DATA}: no data.",
            "tone: mean sentiment of the comments, -1 to +1. Δ: change since last week.",
        ],
        _attention(digest),
        _standards(digest),
        _breaks_down(digest),
        _actions(digest),
        _matrix(digest),
        _celebrate(digest),
        _quotes(digest, "praise"),
        _quotes(digest, "concerns"),
        [f"Colleagues' comments go to each department's managers. Groups under {k} are hidden."],
    ]
    return "\n\n".join("\n".join(lines) for lines in sections if lines) + "\n"
