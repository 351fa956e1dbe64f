"""Erasing everything stored about one person (SPEC §8, GDPR art. 17).

What holds a Slack user id: polls, memberships, the opt-out, follow-ups (ratings a person put
their name to) and the digest parts that record a manager's DM. Ratings hold none and stay.
The audit log keeps its entries: it is the record of who saw comments and who erased whom, and
an erasure that erased its own trace could not be shown to have happened.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from bot import audit
from bot.membership import USERGROUP
from bot.privacy import dm_parts
from bot.settings import QualityConfig
from models.audit import ERASE, AuditEntry
from models.department import Membership
from models.digest import DigestPart
from models.survey import FollowUp, OptOut, Poll

# A Slack user id (U…, or W… on Enterprise Grid), as quality.yml checks them.
USER_ID = re.compile(r"[UW][A-Z0-9]{1,31}")


@dataclass(frozen=True)
class Erased:
    user_id: str
    polls: int
    memberships: int
    opt_outs: int
    follow_ups: int
    digest_dms: int
    # Not erased, said in the answer: the Slack user groups they were synced from (the next
    # sync adds them back) and how many audit entries they made as an actor.
    usergroups: tuple[str, ...] = ()
    audit_entries_kept: int = 0

    @property
    def counts(self) -> dict[str, int]:
        """Rows removed, by kind, in a stable order."""
        return {
            "polls": self.polls,
            "memberships": self.memberships,
            "opt_outs": self.opt_outs,
            "follow_ups": self.follow_ups,
            "digest_dms": self.digest_dms,
        }

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def detail(self) -> str:
        """For the audit log: "polls=3 memberships=1 opt_outs=0 follow_ups=0 digest_dms=0"."""
        return " ".join(f"{kind}={count}" for kind, count in self.counts.items())


async def forget(user_id: str, *, actor: str, now: datetime) -> Erased:
    """Delete every row that names `user_id`, and audit it, in one transaction."""
    if not USER_ID.fullmatch(user_id):
        raise ValueError(f"not a Slack user id: {user_id[:40]!r}")
    async with in_transaction():
        groups = await Membership.filter(user_id=user_id, source=USERGROUP).values_list(
            "department__slug", flat=True
        )
        dms = await dm_parts(user_id)
        erased = Erased(
            user_id=user_id,
            polls=await Poll.filter(user_id=user_id).delete(),
            memberships=await Membership.filter(user_id=user_id).delete(),
            opt_outs=await OptOut.filter(user_id=user_id).delete(),
            follow_ups=await FollowUp.filter(user_id=user_id).delete(),
            digest_dms=await DigestPart.filter(id__in=dms).delete() if dms else 0,
            usergroups=tuple(sorted({str(slug) for slug in groups})),
            audit_entries_kept=await AuditEntry.filter(actor=user_id).count(),
        )
        await audit.record(now, actor, ERASE, subject=user_id, detail=erased.detail)
    return erased


def still_listed(quality: QualityConfig, user_id: str) -> list[str]:
    """Where quality.yml still names the person: each place puts them back at the next start
    (members), or keeps them receiving and seeing things (managers, admins)."""
    places = ["an admin"] if user_id in quality.admins else []
    for dept in quality.departments:
        if user_id in dept.members:
            places.append(f"a member of {dept.slug}")
        if user_id in dept.managers:
            places.append(f"a manager of {dept.slug}")
    return places


_KINDS = {
    "polls": ("poll", "polls"),
    "memberships": ("department membership", "department memberships"),
    "opt_outs": ("opt-out", "opt-outs"),
    "follow_ups": ("follow-up", "follow-ups"),
    "digest_dms": ("record of a digest DM", "records of digest DMs"),
}


def describe(erased: Erased, who: str, listed: Sequence[str] = ()) -> list[str]:
    """The answer, in plain sentences: what went, then what did not and why. `who` is how to
    name the person (a mention in Slack, the bare id on the command line)."""
    removed = [
        f"{count} {_KINDS[kind][0] if count == 1 else _KINDS[kind][1]}"
        for kind, count in erased.counts.items()
        if count
    ]
    lines = [
        f"Erased everything stored about {who}: {', '.join(removed)}."
        if removed
        else f"Nothing was left to erase about {who}: no polls, memberships, opt-out, follow-ups "
        "or digest DMs are stored."
    ]
    lines.append(
        "Ratings they gave stay: they hold no name or id, so they cannot be traced back to them."
    )
    if listed:
        lines.append(
            f"Still listed in quality.yml as {_join(listed)}: remove them there, "
            "or the next start lists them again."
        )
    if erased.usergroups:
        lines.append(
            f"Still in the Slack user group of {_join(erased.usergroups)}: remove them from it "
            "in Slack, or the next start syncs them back."
        )
    if erased.audit_entries_kept:
        count = erased.audit_entries_kept
        lines.append(
            f"Kept: {count} audit-log entr{'y' if count == 1 else 'ies'} of comments they viewed "
            "or exports they made; the log is the record of who saw what."
        )
    return lines


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
