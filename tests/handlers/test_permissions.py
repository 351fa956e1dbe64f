"""Who may run what: each restricted subcommand × employee, manager of it, manager of
another department, admin — through signed /slack/events, deciding from what each one gets."""

from typing import Any

import pytest

from models.audit import AuditEntry
from tests.bot import digest_data as data
from tests.conftest import Harness

EMPLOYEE, IT_MANAGER, OTHER_MANAGER, ADMIN = "U0EMP0001", "U0IT00001", "U0FIN0001", "U0ADMIN01"
ROLES = {
    "employee": EMPLOYEE,
    "manager of it": IT_MANAGER,
    "manager of another": OTHER_MANAGER,
    "admin": ADMIN,
}
COMMENT = "The laptop swap took three weeks"


async def _answer(harness: Harness, text: str, user: str) -> str:
    """Everything the caller got back: the immediate answer and any through response_url."""
    resp = await harness.command(text, user_id=user)
    body: str = await resp.text()
    if body:
        return body
    return str(await harness.slack.wait_for_response(timeout=10))


@pytest.fixture
async def seeded(harness: Harness) -> Harness:
    # W46 is the last complete week on the fake clock; its IT group is at the threshold.
    await data.ratings(
        "it", "2026-W46", [2, 3, 3], rater="finance",
        sentiments=[("negative", -0.7)] * 3, comments=[COMMENT] * 3,
    )  # fmt: skip
    await data.reviews("it", "2026-W46", [2, 2, 2])
    return harness


# (what is typed, who may, what an allowed caller gets, what a refused one gets)
MATRIX: list[tuple[str, set[str], str, str]] = [
    ("report it", set(ROLES), "IT", "Only"),
    ("digest", set(ROLES), "Service quality — week 2026-W46", "Only"),
    ("digest post", {"admin"}, "Posted the digest of 2026-W46", "Only an admin can post"),
    ("export it", {"manager of it", "admin"}, "Sent to your DMs", "export"),
    ("forget <@U0EMP0099|zoe>", {"admin"}, "U0EMP0099", "Only an admin can erase"),
    ("privacy", set(ROLES), "stored", "Only"),
]


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize(("typed", "allowed", "granted", "refused"), MATRIX)
async def test_who_may_do_what(
    seeded: Harness, role: str, typed: str, allowed: set[str], granted: str, refused: str
) -> None:
    got = await _answer(seeded, typed, ROLES[role])
    if role in allowed:
        assert granted in got, got
        assert "Only an admin" not in got
    else:
        assert refused in got and granted not in got, got
    if typed.startswith("export") and role not in allowed:
        assert seeded.slack.files == {}


@pytest.mark.parametrize(("role", "sees"), [
    ("employee", False), ("manager of it", True), ("manager of another", False), ("admin", True),
])  # fmt: skip
async def test_only_its_managers_and_admins_see_a_departments_comments(
    seeded: Harness, role: str, sees: bool
) -> None:
    got = await _answer(seeded, "report it", ROLES[role])
    assert (COMMENT in got) is sees
    audited: list[Any] = await AuditEntry.filter(action="view_comments").values_list(
        "actor", flat=True
    )
    assert audited == ([ROLES[role]] if sees else [])
