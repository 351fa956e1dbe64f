"""What quality-bot holds about one person, read from the database as it is (`/quality privacy`)."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.config import QualityConfig
from bot.people.roles import person
from models.audit import AuditEntry
from models.department import Membership, SlackName
from models.digest import DigestPart
from models.survey import AnswerMark, FollowUp, OptOut, Poll, Thanks


@dataclass(frozen=True, order=True)
class DepartmentRef:
    slug: str
    name: str


@dataclass(frozen=True)
class StoredAbout:
    user_id: str
    polls: int
    polls_by_status: dict[str, int]  # status -> how many, most frequent first
    poll_departments: tuple[DepartmentRef, ...]  # the departments they were asked about
    oldest_poll: datetime | None
    rated_this_week: tuple[DepartmentRef, ...]  # their marks: one rating a department and week
    memberships: tuple[tuple[DepartmentRef, str], ...]  # (department, "config" | "usergroup")
    opted_out_since: datetime | None
    follow_ups: int  # ratings they put their name to
    follow_up_departments: tuple[DepartmentRef, ...]
    signed_thanks: tuple[DepartmentRef, ...]  # thanks they signed, by department
    digest_dms: int  # weekly digest DMs sent to them as a manager
    audit_entries: int  # their views of comments and exports, as the audit log keeps them
    names: tuple[str, ...]  # how quality.yml names them (`@ines`, an email), as last resolved
    admin: bool
    manages: tuple[DepartmentRef, ...]
    # The fixed part of the answer: the rules, and whom to ask.
    admins: tuple[str, ...]
    min_group_size: int


async def what_we_store(quality: QualityConfig, user_id: str) -> StoredAbout:
    polls = await Poll.filter(user_id=user_id).values_list(
        "status", "department__slug", "department__name", "created_at"
    )
    statuses = Counter(str(status) for status, _, _, _ in polls)
    memberships = await Membership.filter(user_id=user_id).values_list(
        "department__slug", "department__name", "source"
    )
    opt_out = await OptOut.get_or_none(user_id=user_id)
    marks = await AnswerMark.filter(user_id=user_id).values_list(
        "department__slug", "department__name"
    )
    follow_ups = await FollowUp.filter(user_id=user_id).values_list(
        "department__slug", "department__name"
    )
    thanks = await Thanks.filter(signed_by=user_id).values_list(
        "department__slug", "department__name"
    )
    who = person(quality, user_id)
    return StoredAbout(
        user_id=user_id,
        polls=len(polls),
        polls_by_status=dict(statuses.most_common()),
        poll_departments=_departments((slug, name) for _, slug, name, _ in polls),
        oldest_poll=min((created for _, _, _, created in polls), default=None),
        rated_this_week=_departments(marks),
        memberships=tuple(
            sorted(
                (DepartmentRef(str(slug), str(name)), str(source))
                for slug, name, source in memberships
            )
        ),
        opted_out_since=opt_out.created_at if opt_out else None,
        follow_ups=len(follow_ups),
        follow_up_departments=_departments(follow_ups),
        signed_thanks=_departments(thanks),
        digest_dms=len(await dm_parts(user_id)),
        audit_entries=await AuditEntry.filter(actor=user_id).count(),
        names=tuple(
            sorted(
                str(n)
                for n in await SlackName.filter(slack_id=user_id).values_list("name", flat=True)
            )
        ),
        admin=who.admin,
        manages=tuple(
            DepartmentRef(d.slug, d.name) for d in quality.departments if d.slug in who.manages
        ),
        admins=tuple(quality.admins),
        min_group_size=quality.privacy.min_group_size,
    )


async def dm_parts(user_id: str) -> list[int]:
    """Ids of the digest parts that record a DM to this person: keys "dm-<slug>-<user id>".

    The database's suffix match is only a first sieve (SQLite's LIKE ignores case); the key's
    last dash-separated piece must be exactly the id, which never contains a dash itself.
    """
    candidates = await DigestPart.filter(key__startswith="dm-", key__endswith=user_id).values_list(
        "id", "key"
    )
    return [int(id_) for id_, key in candidates if str(key).rsplit("-", 1)[-1] == user_id]


def _departments(pairs: Iterable[tuple[object, object]]) -> tuple[DepartmentRef, ...]:
    return tuple(sorted({DepartmentRef(str(slug), str(name)) for slug, name in pairs}))
