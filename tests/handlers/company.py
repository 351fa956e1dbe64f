"""A small company to attack the anonymity promise with: departments big enough to answer
about each other, a manager who is not among their department's members, and ways to drive
the real app as its people would — a served request reported by an internal tool, a poll DM,
a click or the modal, a rating by hand — and to let a week end."""

import json
from collections.abc import AsyncIterator
from datetime import datetime, time
from pathlib import Path
from typing import Any

import pytest

from bot.slack_standin import SlackStandIn
from bot.weeks import Week
from models.survey import OPEN, QUEUED, SENDING, Poll
from tests.conftest import Harness, make_settings, start_harness
from tests.handlers.poll_flows import click, submission
from tests.support import WEBHOOK_SECRET, FakeClock, until, webhook_headers

COMPANY_YML = """\
timezone: Europe/Berlin
admins: [U0ADMIN01]
privacy:
  min_group_size: 3
digest:
  channel: C0DIGEST01
departments:
  - slug: it
    name: IT
    channels: [C0ITHELP1]
    alert_channel: C0ITTEAM1
    members: [U0IT00001, U0IT00002]
    managers: [U0ITBOSS1]
  - slug: sales
    name: Sales
    channels: [C0SALES01]
    members: [U0SAL0001, U0SAL0002, U0SAL0003, U0SAL0004, U0SAL0005]
    managers: [U0SALBOSS]
  - slug: finance
    name: Finance
    channels: [C0FINANCE]
    members: [U0FIN0001, U0FIN0002]
    managers: [U0FIN0001]
"""
IT_MANAGER = "U0ITBOSS1"  # manages IT and is listed in no department's members
SALES = ("U0SAL0001", "U0SAL0002", "U0SAL0003", "U0SAL0004", "U0SAL0005")
FINANCE = ("U0FIN0001", "U0FIN0002")
OUTSIDERS = ("U0EMP0001", "U0EMP0002", "U0EMP0003")  # in no department


@pytest.fixture
async def company(tmp_path: Path, slack: SlackStandIn, clock: FakeClock) -> AsyncIterator[Harness]:
    settings = make_settings(
        tmp_path, slack, quality_yml=COMPANY_YML, REVIEW_WEBHOOK_SECRET=WEBHOOK_SECRET
    )
    h = await start_harness(settings, slack, clock=clock)
    yield h
    await h.client.close()


async def ask(h: Harness, user: str, department: str, key: str) -> Poll | None:
    """An internal tool reports that `department` served `user`; the poll DM goes out. The
    poll, or None when the rules said not to ask."""
    body = json.dumps(
        {"id": key, "department": department, "requester": {"slack_id": user},
         "summary": f"Request {key}"}
    )  # fmt: skip
    resp = await h.client.post(
        "/webhooks/interactions", data=body, headers=webhook_headers(body, msg_id=key)
    )
    assert resp.status == 201, await resp.text()
    await h.services.polls.step()
    # The app's own loop may hold the poll mid-send (the webhook woke it): wait for it.
    on_its_way = Poll.filter(trigger_key=f"webhook:{key}", status__in=(QUEUED, SENDING))
    await until(lambda: _none(on_its_way))
    return await Poll.get_or_none(trigger_key=f"webhook:{key}", status__in=OPEN).prefetch_related(
        "department"
    )


async def _none(query: Any) -> bool:
    return not await query.exists()


async def answer(
    h: Harness,
    user: str,
    department: str,
    score: int,
    *,
    comment: str | None = None,
    consent: bool = False,
) -> Any:
    """Answer the person's waiting poll about `department`: a click, or the modal when there
    is a comment or a wish to be contacted. Slack's answer to the request."""
    poll = await Poll.get(user_id=user, department__slug=department, status__in=OPEN)
    if comment is None and not consent:
        return await h.interact(click(poll, score, user=user))
    payload = submission(
        user=user, score=str(score), comment=comment or "", consent=consent, poll=poll
    )
    return await h.interact(payload)


async def rate_by_hand(
    h: Harness, user: str, department: str, score: int, comment: str = ""
) -> dict[str, Any]:
    """`/quality rate`'s modal, submitted; the modal's answer ({} when it closed)."""
    resp = await h.interact(
        submission(user=user, score=str(score), comment=comment, department=department)
    )
    text = await resp.text()
    return json.loads(text) if text else {}


async def end_week(h: Harness, clock: FakeClock) -> Week:
    """Let the week on the clock end: Monday 09:00 after it, polls expired, the week closed
    by the app's own loop steps. The week that ended."""
    tz = h.services.quality.current.tz
    week = Week.of(clock(), tz)
    clock.now = datetime.combine(week.next.monday, time(9), tzinfo=tz)
    await h.services.polls.step()
    await h.services.release.step()
    return week
