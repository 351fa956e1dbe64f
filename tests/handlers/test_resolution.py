"""Time to resolution, measured from Slack itself (a request message and its resolved reaction)
and from an internal tool's `opened_at` and `resolved_at`: counted once per request, in the
week it was resolved, and shown only for k requests or more."""

import json
from datetime import UTC, datetime

from bot.slack_standin import SlackStandIn
from bot.weeks import Week
from models.survey import ResolutionTime
from tests.bot import digest_data as data
from tests.conftest import Harness
from tests.handlers.poll_flows import reaction
from tests.handlers.test_standards import answer, harness
from tests.handlers.test_webhook_interactions import interaction, post
from tests.support import until

# Sunday 22 November 2026, 21:00 in Berlin (W47); resolved on Monday at 02:30 (W48).
ASKED = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)
RESOLVED = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)

__all__ = ["harness"]  # test_standards' app: IT promises 8 hours; webhooks are signed


def ts(moment: datetime) -> str:
    return f"{moment.timestamp():.6f}"


async def times() -> list[tuple[str, str, float]]:
    rows = (
        await ResolutionTime.all().order_by("id").values_list("department__slug", "week", "hours")
    )
    return [(str(slug), str(week), float(hours)) for slug, week, hours in rows]


async def test_a_resolved_reaction_counts_once_in_the_week_it_was_resolved(
    harness: Harness, slack: SlackStandIn
) -> None:
    slack.add_message("C0ITHELP1", ts(ASKED), user="U0FIN0001", text="My screen flickers")
    item = {"type": "message", "channel": "C0ITHELP1", "ts": ts(ASKED)}
    event = reaction(item=item, event_ts=ts(RESOLVED))
    await harness.event(event, event_id="EvResolved1")
    await until(lambda: ResolutionTime.exists())
    await harness.event(event, event_id="EvResolved1", retry_num=1)  # Slack's retry
    await harness.event(event, event_id="EvResolved2")  # another ✅ on the same message
    assert await times() == [("it", "2026-W48", 5.5)]  # across the weekend: Monday's week


async def test_an_internal_tool_tells_when_a_request_was_opened_and_resolved(
    harness: Harness,
) -> None:
    body = interaction(opened_at="2026-11-18T08:00:00Z", resolved_at="2026-11-18T11:15:00+01:00")
    assert (await post(harness, body)).status == 201
    assert (await post(harness, body)).status == 200  # a retry: a duplicate, counted once
    assert (await post(harness, interaction(id="JIRA-124"))).status == 201  # no times: none
    backwards = interaction(
        id="JIRA-125", opened_at="2026-11-18T12:00:00Z", resolved_at="2026-11-18T11:00:00Z"
    )
    assert (await post(harness, backwards)).status == 201  # taken, but not counted
    assert await times() == [("it", "2026-W47", 2.25)]


async def test_the_digest_and_the_report_show_it_for_k_requests_only(harness: Harness) -> None:
    await data.resolutions("it", "2026-W46", [2, 4, 6, 30])
    await data.resolutions("finance", "2026-W46", [1, 1])  # two requests: under k
    digest = await answer(harness, "digest")
    assert "Resolved: median 5 h, 90% within 22.8 h (4 requests; promised within 8 h)" in digest
    assert digest.count("Resolved:") == 1  # nothing for Finance

    report = await answer(harness, "report it 1", nth=2)
    assert "Resolved: median 5 h, 90% within 22.8 h (4 requests; promised within 8 h)" in report
    report = await answer(harness, "report finance 1", nth=3)
    assert "Resolved" not in report

    # Over two weeks, a week under k adds nothing: its two requests would be told apart.
    await data.resolutions("it", "2026-W45", [1, 1])
    report = await answer(harness, "report it 2", nth=4)
    assert "Resolved: median 5 h, 90% within 22.8 h (4 requests; promised within 8 h)" in report


async def test_the_json_names_resolution_per_department(harness: Harness) -> None:
    await data.resolutions("it", "2026-W46", [1, 2, 3])
    digest = await harness.services.aggregates.digest(Week.parse("2026-W46"))
    found = {
        d["slug"]: d["resolution"] for d in json.loads(json.dumps(digest.to_json()))["departments"]
    }
    assert found["it"] == {
        "requests": 3,
        "median_hours": 2.0,
        "p90_hours": 2.8,
        "suppressed": False,
    }
    assert found["finance"]["suppressed"] is True and found["finance"]["requests"] is None
