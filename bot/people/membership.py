"""Who belongs to which department: as configured (in quality.yml or in Slack), and from Slack
user groups."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from tortoise.transactions import in_transaction

from bot.config import DepartmentConfig, QualityConfig
from models.department import FROM_FILE, Department, Membership

log = logging.getLogger(__name__)

CONFIG = "config"
USERGROUP = "usergroup"


@dataclass
class UsergroupSync:
    synced: dict[str, int] = field(default_factory=dict)  # slug -> members now
    failed: dict[str, str] = field(default_factory=dict)  # slug -> Slack's error


async def sync_departments(quality: QualityConfig) -> None:
    """Make the department table and the configured memberships match quality.yml (its
    names resolved). Departments that left the file are kept, inactive: their history stays.
    A department managed in Slack whose slug the file now names becomes the file's."""
    slugs = [d.slug for d in quality.departments]
    async with in_transaction():
        await Department.filter(origin=FROM_FILE, slug__not_in=slugs).update(active=False)
        for dept in quality.departments:
            await Department.update_or_create(
                defaults={"name": dept.name, "active": True, "origin": FROM_FILE, "settings": None},
                slug=dept.slug,
            )
    for dept in quality.departments:
        await configured_members(dept)


async def configured_members(dept: DepartmentConfig) -> None:
    """A department's members as configured (its `members` and `managers`): a department's
    managers are its members too, since nobody rates their own department, and a manager's
    ratings of others carry their department."""
    await _replace_members(dept.slug, CONFIG, [*dept.members, *dept.managers])


async def sync_usergroups(
    client: AsyncWebClient, departments: Iterable[DepartmentConfig]
) -> UsergroupSync:
    """Refresh members from each department's Slack user group. A group Slack cannot list
    right now keeps its last known members: an outage must not empty a department."""
    result = UsergroupSync()
    for dept in departments:
        if dept.usergroup is None:
            continue
        try:
            response = await client.usergroups_users_list(usergroup=dept.usergroup)
        except SlackApiError as exc:
            error = str(exc.response.get("error", "unknown_error"))
            log.warning("user group of %s not synced: %s", dept.slug, error)
            result.failed[dept.slug] = error
            continue
        listed: list[object] = response.get("users") or []
        users = [str(u) for u in listed]
        await _replace_members(dept.slug, USERGROUP, users)
        result.synced[dept.slug] = len(users)
    return result


async def departments_of(user_id: str) -> list[str]:
    """Slugs of the active departments a person belongs to, by any source."""
    rows = await Membership.filter(user_id=user_id, department__active=True).values_list(
        "department__slug", flat=True
    )
    return sorted({str(slug) for slug in rows})


async def member_counts() -> dict[str, int]:
    rows = await Membership.filter(department__active=True).values_list(
        "department__slug", "user_id"
    )
    people: dict[str, set[str]] = {}
    for slug, user_id in rows:
        people.setdefault(str(slug), set()).add(str(user_id))
    return {slug: len(users) for slug, users in people.items()}


async def _replace_members(slug: str, source: str, users: Iterable[str]) -> None:
    wanted = set(users)
    department = await Department.get(slug=slug)
    async with in_transaction():
        await Membership.filter(
            department=department, source=source, user_id__not_in=wanted
        ).delete()
        present = set(
            await Membership.filter(department=department, source=source).values_list(
                "user_id", flat=True
            )
        )
        # ignore_conflicts: another instance may be running the same sync right now.
        await Membership.bulk_create(
            [Membership(user_id=u, department=department, source=source) for u in wanted - present],
            ignore_conflicts=True,
        )
