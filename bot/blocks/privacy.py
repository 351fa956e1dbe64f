"""`/quality privacy` (what is stored about you, who sees what) and `/quality forget`'s answer."""

from collections.abc import Sequence
from datetime import datetime

from bot.blocks import Block, context, escape, header, section
from bot.privacy.stored import DepartmentRef, StoredAbout

# How a poll's status reads to the person it was sent to.
_STATUS = {
    "queued": "about to be sent",
    "sending": "about to be sent",
    "sent": "waiting for your answer",
    "reminded": "waiting for your answer",
    "answered": "answered this week",
    "expired": "expired unanswered",
    "closed": "closed (answered or expired: once its week is over, which is not kept)",
    "skipped": "never sent (over the weekly limit, too soon, rated already, or opted out)",
}
_SOURCE = {"config": "listed in quality.yml", "usergroup": "from its Slack user group"}


def build_privacy(stored: StoredAbout) -> list[Block]:
    return [
        header("What quality-bot stores about you"),
        section("*About you*\n" + "\n".join(f"• {line}" for line in _about(stored))),
        section(
            "*Your ratings*\n"
            "Stored without your name or Slack id, and with nothing that leads back to the poll: "
            "only the department you rated, your department, the score, your comment, its "
            "sentiment and the week. An answer is held for a while and then mixed in with "
            f"others' — at least {stored.min_group_size} at a time — so that not even the "
            "order of the rows tells whose it is."
        ),
        section("*Who sees what*\n" + "\n".join(f"• {line}" for line in _who_sees(stored))),
        section("*Your choices*\n" + "\n".join(f"• {line}" for line in _choices(stored))),
        context("Only you can see this answer."),
    ]


def privacy_text(stored: StoredAbout) -> str:
    """The plain-text fallback for notifications and screen readers."""
    return f"What quality-bot stores about you: {_polls(stored)}"


def build_erased(lines: Sequence[str]) -> list[Block]:
    """`/quality forget`'s answer: the first line says what went, the rest what stayed."""
    first, *rest = lines
    blocks = [section(first)]
    if rest:
        blocks.append(section("\n".join(f"• {line}" for line in rest)))
    blocks.append(context("Written to the audit log. Only you can see this answer."))
    return blocks


def _about(stored: StoredAbout) -> list[str]:
    lines = [_polls(stored), _memberships(stored)]
    if stored.rated_this_week:
        lines.append(
            f"This week you rated {_names(stored.rated_this_week)}. That is kept until the "
            "week ends, so that you rate each department once a week, and then deleted."
        )
    if stored.opted_out_since:
        lines.append(f"You opted out on {_date(stored.opted_out_since)}: nobody asks you to rate.")
    else:
        lines.append("You have not opted out: you may be asked, now and then, to rate.")
    if stored.follow_ups:
        lines.append(
            f"{_count(stored.follow_ups, 'rating')} you put your name to, so that "
            f"{_names(stored.follow_up_departments)} may contact you about "
            f"{'it' if stored.follow_ups == 1 else 'them'}: kept with your name and comment, "
            "never with a score."
        )
    if stored.signed_thanks:
        lines.append(
            f"Thanks you signed to {_names(stored.signed_thanks)}: kept with your name and "
            "words, and the message posted, until you ask us to forget you."
        )
    if stored.names:
        lines.append(
            f"quality.yml names you as {', '.join(stored.names)}: kept with your Slack id, "
            "so that the app knows who that is when Slack cannot be asked."
        )
    if stored.admin:
        lines.append("You are an admin: you see every department's comments.")
    if stored.manages:
        lines.append(
            f"You manage {_names(stored.manages)}: you see the comments about "
            f"{'it' if len(stored.manages) == 1 else 'them'}."
        )
    if stored.digest_dms:
        lines.append(
            f"{_count(stored.digest_dms, 'weekly digest DM')} to you "
            f"{'is' if stored.digest_dms == 1 else 'are'} recorded, so that none is sent twice."
        )
    if stored.audit_entries:
        lines.append(
            f"{_count(stored.audit_entries, 'audit-log entry', 'audit-log entries')} "
            f"{'records' if stored.audit_entries == 1 else 'record'} comments you viewed or "
            "exports you made."
        )
    return lines


def _polls(stored: StoredAbout) -> str:
    if not stored.polls:
        return "No polls: you have not been asked to rate a department."
    statuses = ", ".join(
        f"{count} {_STATUS.get(status, status)}" for status, count in stored.polls_by_status.items()
    )
    since = f", since {_date(stored.oldest_poll)}" if stored.oldest_poll else ""
    return (
        f"{_count(stored.polls, 'poll')} ({statuses}) about "
        f"{_names(stored.poll_departments)}{since}. Each keeps the department, the request it "
        "was about and when it was sent, never your score."
    )


def _memberships(stored: StoredAbout) -> str:
    if not stored.memberships:
        return "You belong to no department: your ratings count as from an unknown department."
    where = ", ".join(
        f"{escape(dept.name)} ({_SOURCE.get(source, source)})"
        for dept, source in stored.memberships
    )
    return f"You belong to {where}: your ratings carry this as the rater's department."


def _who_sees(stored: StoredAbout) -> list[str]:
    k = stored.min_group_size
    return [
        f"Everyone: figures (counts, averages, sentiment) of groups of {k} or more answers.",
        "A department's managers, and admins: that department's comments, from groups of "
        f"{k} or more too. Every view of comments and every export is written to an audit log.",
        f"Groups under {k} answers are never shown to anyone: not in Slack, on the command line "
        "or in exports.",
    ]


def _choices(stored: StoredAbout) -> list[str]:
    ask = (
        "ask an admin (" + ", ".join(f"<@{admin}>" for admin in stored.admins) + ")"
        if stored.admins
        else "ask whoever runs quality-bot (no admin is configured)"
    )
    return [
        "`/quality optout` stops the polls; `/quality optin` resumes them.",
        f"To have everything stored about you erased, {ask} to run `/quality forget` for you. "
        "Your anonymous ratings stay: nothing in them leads back to you.",
    ]


def _names(departments: Sequence[DepartmentRef]) -> str:
    names = [escape(d.name) for d in departments] or ["no department"]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _date(moment: datetime) -> str:
    """Shown in the reader's own time zone; the ISO date where a client cannot."""
    return f"<!date^{int(moment.timestamp())}^{{date_short}}|{moment.date().isoformat()}>"
