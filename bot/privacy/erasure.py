"""Erasing everything stored about one person (`/quality forget`, `quality-bot forget`; GDPR
art. 17).

What holds a Slack user id: polls, memberships, the opt-out, follow-ups (comments a person put
their name to), the marks that keep one rating a department and week, and the digest parts that
record a manager's DM. Those rows go. Ratings hold no one and stay, but like every other stored
text (poll summaries, comments, customer reviews) they lose the person's mentions, e-mail
address and phone number; the sentiment models learned from those texts are dropped, and
learned again from the texts as they are now. The Slack messages the app posted that name them
(a follow-up in an alert channel) or were addressed to them (their poll DMs) are deleted,
through a queue that outlives a Slack outage. On SQLite the write-ahead log is checkpointed, so
the file beside the database no longer holds what was erased.

The audit log keeps its entries: it is the record of who saw comments and who erased whom, and
an erasure that erased its own trace could not be shown to have happened.
"""

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from bot.config import QualityConfig
from bot.people.membership import USERGROUP
from bot.privacy import audit
from bot.privacy.erasure_texts import Contact, Remover, remover, scrub_texts
from bot.privacy.stored import dm_parts
from bot.runtime import db
from models.action import Action, Announcement
from models.audit import ERASE, AuditEntry
from models.department import FROM_SLACK, Department, Membership, SlackName
from models.digest import DigestPart
from models.erasure import MessageToDelete
from models.sentiment import LearnedModel
from models.survey import AnswerMark, FollowUp, OptOut, Poll, Thanks

log = logging.getLogger(__name__)

# A Slack user id (U…, or W… on Enterprise Grid), as quality.yml checks them.
USER_ID = re.compile(r"[UW][A-Z0-9]{1,31}")


@dataclass(frozen=True)
class Erased:
    user_id: str
    polls: int
    memberships: int
    opt_outs: int
    follow_ups: int
    thanks: int
    actions: int  # actions they owned or recorded, which name them no more
    announcements: int  # "you said, we did" DMs to them
    marks: int
    digest_dms: int
    texts: int = 0  # other stored texts their mentions, e-mail or phone were removed from
    messages: int = 0  # Slack messages queued for deletion
    # The departments managed in Slack that listed them as a member or manager, and do no more.
    unlisted: tuple[str, ...] = ()
    names: int = 0  # the Slack names of quality.yml last resolved to them (`@sam`, an email)
    looked_up: bool = True  # their e-mail and phone were known (Slack answered)
    # Not erased, said in the answer: the Slack user groups they were synced from (the next
    # sync adds them back) and how many audit entries they made as an actor.
    usergroups: tuple[str, ...] = ()
    audit_entries_kept: int = 0

    @property
    def counts(self) -> dict[str, int]:
        """Rows removed or changed, by kind, in a stable order."""
        return {
            "polls": self.polls,
            "memberships": self.memberships,
            "opt_outs": self.opt_outs,
            "follow_ups": self.follow_ups,
            "thanks": self.thanks,
            "actions": self.actions,
            "announcements": self.announcements,
            "marks": self.marks,
            "digest_dms": self.digest_dms,
            "texts": self.texts,
            "messages": self.messages,
            "departments": len(self.unlisted),
            "names": self.names,
        }

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def detail(self) -> str:
        """For the audit log: "polls=3 memberships=1 opt_outs=0 … messages=2"."""
        return " ".join(f"{kind}={count}" for kind, count in self.counts.items())


async def forget(
    user_id: str, *, actor: str, now: datetime, contact: Contact | None = None
) -> Erased:
    """Delete every row that names `user_id`, remove them from other texts, queue the Slack
    messages that name them for deletion, and audit it: one transaction. `contact` None means
    their e-mail and phone could not be looked up (only their mentions are removed)."""
    if not USER_ID.fullmatch(user_id):
        raise ValueError(f"not a Slack user id: {user_id[:40]!r}")
    remove = remover(user_id, contact or Contact())
    async with in_transaction():
        groups = await Membership.filter(user_id=user_id, source=USERGROUP).values_list(
            "department__slug", flat=True
        )
        dms = await dm_parts(user_id)
        messages = await _their_messages(user_id, remove)
        erased = Erased(
            user_id=user_id,
            polls=await Poll.filter(user_id=user_id).delete(),
            memberships=await Membership.filter(user_id=user_id).delete(),
            opt_outs=await OptOut.filter(user_id=user_id).delete(),
            follow_ups=await FollowUp.filter(user_id=user_id).delete(),
            thanks=await Thanks.filter(signed_by=user_id).delete(),
            actions=await Action.filter(owner=user_id).update(owner=None)
            + await Action.filter(created_by=user_id).update(created_by=None),
            announcements=await Announcement.filter(user_id=user_id).delete(),
            marks=await AnswerMark.filter(user_id=user_id).delete(),
            digest_dms=await DigestPart.filter(id__in=dms).delete() if dms else 0,
            texts=await scrub_texts(remove),
            messages=await _queue_deletions(messages),
            unlisted=await _unlist(user_id),
            names=await SlackName.filter(slack_id=user_id).delete(),
            looked_up=contact is not None,
            usergroups=tuple(sorted({str(slug) for slug in groups})),
            audit_entries_kept=await AuditEntry.filter(actor=user_id).count(),
        )
        if erased.texts:
            await LearnedModel.all().delete()
        await audit.record(now, actor, ERASE, subject=user_id, detail=erased.detail)
    await _checkpoint()
    return erased


async def _unlist(user_id: str) -> tuple[str, ...]:
    """Take them off the departments managed in Slack (quality.yml's are the admin's to edit:
    `still_listed` names them)."""
    changed = []
    for dept in await Department.filter(origin=FROM_SLACK):
        settings = dict(dept.settings or {})
        listed = {key: settings.get(key) or [] for key in ("members", "managers")}
        if not any(user_id in people for people in listed.values()):
            continue
        for key, people in listed.items():
            settings[key] = [person for person in people if person != user_id]
        dept.settings = settings
        await dept.save(update_fields=["settings", "updated_at"])
        changed.append(dept.slug)
    return tuple(changed)


async def _their_messages(user_id: str, remove: Remover) -> list[tuple[str, str]]:
    """The Slack messages the app posted that name the person (their follow-ups in alert
    channels, thanks they signed or whose words name them) or were addressed to them (their
    poll DMs, "you said, we did")."""
    posts = await FollowUp.filter(user_id=user_id, ts__isnull=False).values_list("channel", "ts")
    polls = await Poll.filter(user_id=user_id, message_ts__isnull=False).values_list(
        "channel", "message_ts"
    )
    told = await Announcement.filter(user_id=user_id, ts__isnull=False).values_list("channel", "ts")
    thanks = [
        (row.channel, row.ts)
        for row in await Thanks.filter(ts__isnull=False)
        if row.signed_by == user_id or (row.comment and remove(row.comment) != row.comment)
    ]
    found = [*posts, *polls, *thanks, *told]
    return sorted({(str(c), str(ts)) for c, ts in found if c and ts})


async def _queue_deletions(messages: Sequence[tuple[str, str]]) -> int:
    await MessageToDelete.bulk_create(
        [MessageToDelete(channel=c, ts=ts) for c, ts in messages], ignore_conflicts=True
    )
    return len(messages)


async def _checkpoint() -> None:
    """On SQLite, move the write-ahead log into the database and empty it: until then the
    erased rows would still be readable in the `-wal` file beside it."""
    conn = db.connection()
    if conn.capabilities.dialect == "sqlite":
        await conn.execute_query("PRAGMA wal_checkpoint(TRUNCATE)")


def still_listed(quality: QualityConfig, user_id: str, erased: Erased | None = None) -> list[str]:
    """Where quality.yml still names the person: each place puts them back at the next start
    (members), or keeps them receiving and seeing things (managers, admins). The departments
    managed in Slack that `erased` took them off are not among them."""
    places = ["an admin"] if user_id in quality.admins else []
    for dept in quality.departments:
        if erased is not None and dept.slug in erased.unlisted:
            continue
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
    "thanks": ("signed thanks", "signed thanks"),
    "actions": ("action no longer naming them", "actions no longer naming them"),
    "announcements": ("“you said, we did” DM", "“you said, we did” DMs"),
    "marks": ("mark of a rating this week", "marks of ratings this week"),
    "digest_dms": ("record of a digest DM", "records of digest DMs"),
    "departments": ("department managed in Slack listing them", "departments managed in Slack "
                    "listing them"),
    "names": ("name in quality.yml resolved to them", "names in quality.yml resolved to them"),
}  # fmt: skip


def describe(erased: Erased, who: str, listed: Sequence[str] = ()) -> list[str]:
    """The answer, in plain sentences: what went, then what did not and why. `who` is how to
    name the person (a mention in Slack, the bare id on the command line)."""
    removed = [
        f"{count} {_KINDS[kind][0] if count == 1 else _KINDS[kind][1]}"
        for kind, count in erased.counts.items()
        if count and kind in _KINDS
    ]
    lines = [
        f"Erased everything stored about {who}: {', '.join(removed)}."
        if removed
        else f"Nothing was left to erase about {who}: no polls, memberships, opt-out, follow-ups "
        "or digest DMs are stored."
    ]
    found = "mentions, e-mail address and phone number" if erased.looked_up else "mentions"
    texts = erased.texts
    lines.append(
        f"Their {found} were removed from {texts} other stored text{'' if texts == 1 else 's'}"
        " (requests, comments, reviews)."
        if texts
        else f"No other stored text holds their {found}."
    )
    if not erased.looked_up:
        lines.append(
            "Slack could not tell me their e-mail address and phone number, so texts were "
            "searched for their mentions only: run the erasure again once Slack answers."
        )
    if erased.messages:
        count = erased.messages
        lines.append(
            f"{count} Slack message{' that names' if count == 1 else 's that name'} them or "
            f"{'was' if count == 1 else 'were'} sent to them {'is' if count == 1 else 'are'} "
            "being deleted."
        )
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
