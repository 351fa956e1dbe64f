"""Recording an action and updating it: who may, what is checked, and the audit entry that is
written in the same transaction. A department's managers and the admins may; nobody else."""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from tortoise.transactions import in_transaction

from bot.config import QualityConfig
from bot.people.roles import Person
from bot.privacy import audit
from models.action import DONE, DROPPED, OPEN, STATUSES, Action

__all__ = [
    "DONE", "DROPPED", "OPEN", "ActionView", "Invalid", "NotAllowed", "get", "may_act",
    "open_by_department", "record", "update",
]  # fmt: skip
from models.audit import ACTION
from models.department import Department

MAX_WHAT = 500  # characters: one paragraph
MAX_NOTE = 1000


class NotAllowed(Exception):
    """Only the department's managers and the admins record and update its actions."""


class Invalid(Exception):
    """A field that cannot be stored as given: `field` names it, str() says why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field


@dataclass(frozen=True)
class ActionView:
    id: int
    slug: str
    department: str  # its name
    what: str
    addresses: str
    week: str
    owner: str | None
    due: date
    status: str
    note: str
    announced: bool = False  # its people were told (you said, we did)

    def overdue(self, today: date) -> bool:
        return self.status == OPEN and self.due < today


def may_act(person: Person, slug: str) -> bool:
    return person.admin or slug in person.manages


async def record(
    person: Person,
    slug: str,
    *,
    what: str,
    owner: str,
    due: date,
    addresses: str,
    week: str,
    quality: QualityConfig,
    now: datetime,
) -> ActionView:
    if not may_act(person, slug):
        raise NotAllowed
    what = what.strip()
    if not what:
        raise Invalid("what", "Say what will change.")
    if len(what) > MAX_WHAT:
        raise Invalid("what", f"Keep it to {MAX_WHAT} characters.")
    if due < now.astimezone(quality.tz).date():
        raise Invalid("due", "Choose today or a later day.")
    department = await Department.get_or_none(slug=slug, active=True)
    if department is None:
        raise Invalid("what", "That department is no longer configured.")
    async with in_transaction():
        action = await Action.create(
            department=department,
            what=what,
            addresses=addresses.strip()[:MAX_WHAT],
            week=week,
            owner=owner,
            created_by=person.user_id,
            created_at=now,
            due=due,
        )
        await audit.record(now, person.user_id, ACTION, subject=slug, detail=f"#{action.id} open")
    return _view(action, department)


async def update(
    person: Person, action_id: int, *, status: str, note: str, now: datetime
) -> ActionView:
    """Set an action's status (open, done, dropped) with a note on what was done or why."""
    if status not in STATUSES:
        raise Invalid("status", "Choose open, done or dropped.")
    if len(note) > MAX_NOTE:
        raise Invalid("note", f"Keep it to {MAX_NOTE} characters.")
    action = await Action.get_or_none(id=action_id).select_related("department")
    if action is None:
        raise Invalid("status", "That action no longer exists.")
    if not may_act(person, action.department.slug):
        raise NotAllowed
    before = action.status
    closed_at = now if status in (DONE, DROPPED) else None
    async with in_transaction():
        await Action.filter(id=action_id).update(
            status=status, note=note.strip(), closed_at=closed_at
        )
        await audit.record(
            now,
            person.user_id,
            ACTION,
            subject=action.department.slug,
            detail=f"#{action_id} {before} → {status}",
        )
    action.status, action.note = status, note.strip()
    return _view(action, action.department)


async def get(action_id: int) -> ActionView | None:
    action = await Action.get_or_none(id=action_id).select_related("department")
    return _view(action, action.department) if action else None


async def open_by_department(slugs: Collection[str]) -> dict[str, list[ActionView]]:
    """The open actions of each department, soonest due first."""
    found: defaultdict[str, list[ActionView]] = defaultdict(list)
    actions = (
        await Action.filter(status=OPEN, department__slug__in=list(slugs))
        .select_related("department")
        .order_by("due", "id")
    )
    for action in actions:
        found[action.department.slug].append(_view(action, action.department))
    return found


def _view(action: Action, department: Department) -> ActionView:
    return ActionView(
        id=action.id,
        slug=department.slug,
        department=department.name,
        what=action.what,
        addresses=action.addresses,
        week=action.week,
        owner=action.owner,
        due=action.due,
        status=action.status,
        note=action.note,
        announced=action.announced_at is not None,
    )
