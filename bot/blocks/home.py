"""The App Home tab: polls waiting for the person and a way to rate, for everyone; the last
eight weeks and latest concerns of the departments a manager runs (every one for an admin);
and, for an admin, the set-up checklist, the Departments editor and the latest audit log
entries."""

from collections.abc import Sequence
from dataclasses import dataclass

from bot.blocks import Block, context, divider, escape, header, section
from bot.blocks.actions import action_entries, attention_item
from bot.blocks.digest_parts import figures_entry, pack, quote_entry, trend_row
from bot.blocks.poll import PollView, poll_message
from bot.digest.model import DepartmentWeek, WeekDigest
from bot.digest.text import reasons_lines

RATE_ACTION = "home_rate"
MAX_POLLS = 10  # each poll takes 4 blocks plus a divider
MIN_POLLS = 2  # shown even when an admin's Home is full
MAX_HOME_BLOCKS = 100  # Slack's limit for a Home view
CONCERNS = 2  # per department
MAX_DEPARTMENT_SECTIONS = 30  # leaves room for the polls and the audit log
MAX_ACT_BLOCKS = 20  # findings and open actions, each with its button


@dataclass(frozen=True)
class Activity:
    """What the person did lately: counts only, never what they answered."""

    asked: int  # polls sent to them in the last four weeks
    opted_out: bool


@dataclass(frozen=True)
class AuditLine:
    when: str
    actor: str
    action: str
    subject: str


def home_view(
    polls: Sequence[PollView],
    *,
    min_group_size: int,
    activity: Activity | None = None,
    oversight: WeekDigest | None = None,
    audit: Sequence[AuditLine] = (),
    admin: Sequence[Block] = (),
) -> Block:
    """`oversight` holds only the departments the person may see in detail; `admin` is an
    admin's set-up (bot/blocks/setup.py)."""
    top: list[Block] = [
        header("Service quality"),
        section("Rate how another department served you — any time, without your name."),
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": RATE_ACTION,
                    "text": {"type": "plain_text", "text": "Rate a department"},
                }
            ],
        },
        divider(),
    ]
    audit_blocks = _audit(audit)
    # The oversight gets what the admin's set-up and the audit log leave, and leaves room for
    # at least two polls (`MIN_POLLS`) and the line on how often the person was asked.
    left = MAX_HOME_BLOCKS - len(top) - len(admin) - len(audit_blocks) - 3 - MIN_POLLS * 5
    bottom = [*admin, *_oversight(oversight, left), *audit_blocks]
    room = (MAX_HOME_BLOCKS - len(top) - len(bottom) - 2) // 5  # blocks per poll, with divider
    return {"type": "home", "blocks": top + _polls(polls, min_group_size, room, activity) + bottom}


def _polls(polls: Sequence[PollView], k: int, room: int, activity: Activity | None) -> list[Block]:
    blocks: list[Block] = []
    shown = list(polls[: max(0, min(MAX_POLLS, room))])
    if shown:
        blocks.append(section(f"*Waiting for your answer* ({len(polls)})"))
        for poll in shown:
            _, poll_blocks = poll_message(poll, min_group_size=k)
            blocks += [*poll_blocks, divider()]
    else:
        blocks.append(context("No polls are waiting for you."))
    if activity is not None:
        times = "once" if activity.asked == 1 else f"{activity.asked} times"
        done = f"You were asked {times} in the last four weeks."
        if activity.opted_out:
            done += " You have opted out: `/quality optin` lets people ask you again."
        blocks.append(context(done))
    return blocks


def _oversight(digest: WeekDigest | None, room: int) -> list[Block]:
    """As much of the departments' detail as `room` blocks hold."""
    if digest is None or not digest.departments or room < 3:
        return []
    act = _act(digest)
    if len(act) > room // 2:
        act = []  # the figures first; findings and actions are in the digest DM and the report
    k = digest.min_group_size
    entries = [_department(d, k) for d in digest.departments]
    title = f"*Your departments* — last eight weeks, up to {digest.week}"
    texts = pack(entries, title=title, sep="\n\n")
    note = f"Groups under {k} are hidden. Comments are shown to managers and admins only."
    fit = min(MAX_DEPARTMENT_SECTIONS, room - 2 - len(act))
    if len(texts) > fit:
        texts = texts[:fit]
        note = "More departments than a Home tab holds: `/quality report` has them all. " + note
    return [divider(), *[section(text) for text in texts], context(note), *act]


def _act(digest: WeekDigest) -> list[Block]:
    """Each finding with "Act on this", each open action with "Update…": as many as fit."""
    blocks: list[Block] = []
    for dept in digest.departments:
        if dept.attention:
            blocks.append(section(f"*{escape(dept.name)}* needs attention"))
            blocks += [attention_item(a, dept.slug, digest.week) for a in dept.attention]
        if dept.actions.open:
            blocks.append(section(f"*{escape(dept.name)}*: open actions"))
            blocks += action_entries(
                [(a.id, a.what, a.owner, a.due, a.overdue) for a in dept.actions.open],
                updatable=True,
            )
    if not blocks:
        return []
    if len(blocks) > MAX_ACT_BLOCKS:
        blocks = [*blocks[: MAX_ACT_BLOCKS - 1], context("More in `/quality action`.")]
    return [divider(), section("*Act on what the figures show*"), *blocks]


def _department(dept: DepartmentWeek, k: int) -> str:
    lines = [figures_entry(dept, k)]
    if dept.standard and dept.standard.promise:
        lines.append(f"Promise: “{escape(dept.standard.promise)}”")
    lines += [
        f"Colleagues, weekly: {trend_row(dept.trend, external=False)}",
        f"Customers, weekly: {trend_row(dept.trend, external=True)}",
    ]
    if dept.attention:
        lines.append("Needs attention: " + "; ".join(escape(a) for a in dept.attention))
    lines += [f"Reasons, {escape(line)}" for line in reasons_lines(dept.reasons, limit=3)]
    lines += [quote_entry(dept, quote) for quote in dept.concerns[:CONCERNS]]
    return "\n".join(lines)


def _audit(lines: Sequence[AuditLine]) -> list[Block]:
    if not lines:
        return []
    rows = [
        f"{line.when} · <@{line.actor}> · {line.action} · {escape(line.subject)}"
        if line.actor.startswith("U")
        else f"{line.when} · {escape(line.actor)} · {line.action} · {escape(line.subject)}"
        for line in lines
    ]
    return [divider(), *[section(t) for t in pack(rows, title="*Audit log* (latest)")][:3]]
