"""Departments admins add, edit and retire in Slack (the App Home's Departments editor).

A department defined in quality.yml is changed there: these refuse it. Every change is
written with its audit entry in one transaction; `Directory.refresh` then puts it in effect,
on this instance at once and on the others within seconds."""

import re
from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from bot.config import DepartmentConfig, QualityConfig
from bot.people.membership import configured_members
from bot.privacy import audit
from models.audit import DEPARTMENT
from models.department import FROM_FILE, FROM_SLACK, Department


@dataclass(frozen=True)
class Refused:
    reason: str
    field: str | None = None  # the setting it is about, when one is


def slug_for(name: str) -> str:
    """A slug from a department's name: "Legal & Compliance" -> "legal-compliance"."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:64]


async def in_slack(slug: str) -> bool:
    """Whether the department is managed in Slack (and so may be changed there)."""
    return await Department.exists(slug=slug, active=True, origin=FROM_SLACK)


async def add(
    dept: DepartmentConfig, quality: QualityConfig, *, actor: str, now: datetime
) -> Refused | None:
    if (taken := await Department.get_or_none(slug=dept.slug)) is not None:
        what = "a department" if taken.active else "a retired department (its history keeps it)"
        return Refused(f"`{dept.slug}` is already the short name of {what}: choose another", "slug")
    if refused := _channels_taken(dept, quality):
        return refused
    async with in_transaction():
        await Department.create(
            slug=dept.slug, name=dept.name, origin=FROM_SLACK, settings=_stored(dept)
        )
        await configured_members(dept)
        await audit.record(now, actor, DEPARTMENT, dept.slug, f"added {dept.name} in App Home")
    return None


async def edit(
    dept: DepartmentConfig, quality: QualityConfig, *, actor: str, now: datetime
) -> Refused | None:
    row = await Department.get_or_none(slug=dept.slug, active=True)
    if row is None:
        return Refused(f"`{dept.slug}` is no longer a department: it was retired")
    if row.origin == FROM_FILE:
        return Refused(f"{row.name} is defined in quality.yml: change it there")
    if refused := _channels_taken(dept, quality):
        return refused
    async with in_transaction():
        row.name, row.settings = dept.name, _stored(dept)
        await row.save(update_fields=["name", "settings", "updated_at"])
        await configured_members(dept)
        await audit.record(now, actor, DEPARTMENT, dept.slug, f"edited {dept.name} in App Home")
    return None


async def retire(slug: str, *, actor: str, now: datetime) -> Refused | None:
    """The department is asked about no more; its ratings, reviews and actions stay."""
    row = await Department.get_or_none(slug=slug, active=True)
    if row is None:
        return Refused(f"`{slug}` is no longer a department")
    if row.origin == FROM_FILE:
        return Refused(f"{row.name} is defined in quality.yml: remove it there")
    async with in_transaction():
        row.active = False
        await row.save(update_fields=["active", "updated_at"])
        await audit.record(now, actor, DEPARTMENT, slug, f"retired {row.name} in App Home")
    return None


def _channels_taken(dept: DepartmentConfig, quality: QualityConfig) -> Refused | None:
    for other in quality.departments:
        if other.slug == dept.slug:
            continue
        shared = [c for c in dept.channels if c in other.channels]
        if shared:
            channels = ", ".join(f"<#{c}>" for c in shared)
            return Refused(f"{channels} is already a service channel of {other.name}", "channels")
    return None


def _stored(dept: DepartmentConfig) -> dict[str, object]:
    return dept.model_dump(mode="json", exclude_none=True)
