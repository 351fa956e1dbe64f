"""Where service breaks down: after a 1–2 or a 4–5 the thank-you offers that band's reasons
(the department's own, else `surveys.reasons`), several may be picked or all skipped; they join
the held answer, which waits for them before it is released, and are counted under k."""

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.blocks.digest import build_manager_dm
from bot.digest.compute import compute_week
from bot.slack_standin import SlackStandIn
from bot.surveys.reasons import REASONS_OPEN
from bot.weeks import Week
from models.survey import HeldAnswer, Rating
from tests.bot import digest_data as data
from tests.conftest import QUALITY_YML, Harness, make_settings, start_harness
from tests.handlers.poll_flows import SERVED_TS, click, held, sent_poll, submission
from tests.support import FakeClock, block_action, home_opened, message_text, until

ADMIN, IT_MANAGER, RATER = "U0ADMIN01", "U0IT00001", "U0FIN0001"
IT_LOW = ["slow", "had to chase", "not fixed", "lost my data"]
HIGH = ["quick", "kind", "went the extra mile"]

REASONS_YML = (
    (
        QUALITY_YML
        + "  - slug: sales\n    name: Sales\n    channels: [C0SALES01]\n    members: [U0SAL0001]\n"
    )
    .replace(
        "digest:\n",
        f"surveys:\n  reasons:\n    high: [{', '.join(HIGH)}]\ndigest:\n",
    )
    .replace(
        "    keywords: [laptop, vpn]\n",
        f"    keywords: [laptop, vpn]\n    reasons:\n      low: [{', '.join(IT_LOW)}]\n",
    )
)


@pytest.fixture
async def harness(tmp_path: Path, slack: SlackStandIn, clock: FakeClock) -> AsyncIterator[Harness]:
    h = await start_harness(make_settings(tmp_path, slack, quality_yml=REASONS_YML), slack, clock)
    slack.add_message("C0ITHELP1", SERVED_TS, user=RATER, text="My VPN drops every hour")
    yield h
    await h.client.close()


def offers(harness: Harness, user: str = RATER) -> list[dict[str, Any]]:
    return [e for e in harness.slack.workspace.ephemerals if e["user"] == user]


def options(offer: dict[str, Any]) -> list[str]:
    [actions] = [b for b in offer["blocks"] if b.get("block_id") == "answer_reasons"]
    [boxes] = [e for e in actions["elements"] if e["type"] == "checkboxes"]
    return [o["value"] for o in boxes["options"]]


def token(offer: dict[str, Any], action_id: str = "answer_reasons_add") -> str:
    [actions] = [b for b in offer["blocks"] if b.get("block_id") == "answer_reasons"]
    return str(next(e["value"] for e in actions["elements"] if e["action_id"] == action_id))


def pick(
    offer: dict[str, Any], picked: list[str], url: str, *, skip: bool = False
) -> dict[str, Any]:
    """ "Add to my answer" (or "Skip") clicked in the ephemeral offer, with boxes ticked."""
    action = "answer_reasons_skip" if skip else "answer_reasons_add"
    container = {"type": "message", "channel_id": offer["channel"], "is_ephemeral": True,
                 "message_ts": offer["message_ts"]}  # fmt: skip
    state = {
        "answer_reasons": {
            "answer_reasons_pick": {
                "type": "checkboxes",
                "selected_options": [{"value": p, "text": {"type": "plain_text", "text": p}}
                                     for p in picked],
            }
        }
    }  # fmt: skip
    return block_action(
        offer["user"], action, value=token(offer, action), block_id="answer_reasons",
        container=container, response_url=url, state=state,
    )  # fmt: skip


async def scored(harness: Harness, score: int) -> dict[str, Any] | None:
    """Score the poll from its DM; the reasons offer it brings, if any."""
    poll, _ = await sent_poll(harness)
    url = harness.slack.response_url()
    await harness.interact(click(poll, score, response_url=url))
    await harness.slack.wait_for_response(url)
    if score != 3:
        await harness.slack.wait_for("chat.postEphemeral", count=2 if score >= 4 else 1)
    found = [o for o in offers(harness) if any(b.get("block_id") == "answer_reasons"
                                               for b in o["blocks"])]  # fmt: skip
    return found[-1] if found else None


async def test_a_low_score_offers_the_departments_own_low_reasons_and_no_thanks(
    harness: Harness,
) -> None:
    offer = await scored(harness, 2)
    assert offer is not None
    assert options(offer) == IT_LOW
    assert offer["channel"].startswith("D")  # in the person's DM with the app, for them only
    assert "What went wrong?" in message_text(offer)
    assert not any("Thank IT" in json.dumps(o["blocks"]) for o in offers(harness))
    # The DM itself, which the workspace's exports keep, says nothing of the band.
    assert all("wrong" not in message_text(c.params) for c in harness.slack.calls_to("chat.update"))


async def test_a_high_score_offers_the_configured_high_reasons_and_a_thanks(
    harness: Harness,
) -> None:
    offer = await scored(harness, 5)
    assert offer is not None and options(offer) == HIGH
    assert any("Thank IT" in json.dumps(o["blocks"]) for o in offers(harness))


async def test_a_three_is_offered_nothing(harness: Harness) -> None:
    assert await scored(harness, 3) is None
    assert offers(harness) == []
    [answer] = await held(harness)
    assert (answer.token, answer.open_until) == (None, None)  # settled at once


async def test_several_reasons_picked_join_the_held_answer_and_settle_it(
    harness: Harness,
) -> None:
    offer = await scored(harness, 1)
    assert offer is not None
    [answer] = await held(harness)
    assert answer.token == token(offer) and answer.open_until is not None
    url = harness.slack.response_url()
    await harness.interact(pick(offer, ["not fixed", "slow", "not offered"], url))
    [said] = await harness.slack.wait_for_response(url)
    assert said["replace_original"] is True and "Noted" in said["text"]
    [answer] = await held(harness)
    # Only what the band offers, in the order offered; the token is gone with the offer.
    assert (answer.reasons, answer.token, answer.open_until) == (["slow", "not fixed"], None, None)


async def test_skipping_settles_the_answer_without_reasons(harness: Harness) -> None:
    offer = await scored(harness, 5)
    assert offer is not None
    url = harness.slack.response_url()
    await harness.interact(pick(offer, ["quick"], url, skip=True))
    [said] = await harness.slack.wait_for_response(url)
    assert said["text"] == "Skipped — thank you."
    [answer] = await held(harness)
    assert (answer.reasons, answer.token) == (None, None)


async def test_an_open_offer_holds_its_answer_back_until_settled_or_over(
    harness: Harness, clock: FakeClock
) -> None:
    # k = 3: three answers about IT, one of them with its reasons still open.
    offer = await scored(harness, 2)
    assert offer is not None
    for user in ("U0EMP0001", "U0EMP0002"):
        resp = await harness.interact(submission(user=user, score="3", department="it"))
        assert resp.status == 200
    release = harness.services.release
    assert await release.release_ready() == 0  # two settled: fewer than k
    clock.advance(seconds=REASONS_OPEN.total_seconds() + 1)
    assert await release.release_ready() == 3
    # Too late now: the answer went in with the others, without them.
    url = harness.slack.response_url()
    await harness.interact(pick(offer, ["slow"], url))
    [said] = await harness.slack.wait_for_response(url)
    assert "already gone in" in said["text"]
    assert [r.reasons for r in await Rating.all()] == [None, None, None]
    assert await HeldAnswer.all().count() == 0


async def test_a_rating_by_hand_gets_its_offer_in_the_dm_the_thank_you_opened(
    harness: Harness,
) -> None:
    resp = await harness.interact(submission(user="U0EMP0001", score="4", department="it"))
    assert resp.status == 200
    await harness.slack.wait_for("chat.postEphemeral", count=2)
    [thanks] = harness.slack.calls_to("chat.postMessage")
    channel = thanks.response["channel"]
    [reasons, thank] = offers(harness, "U0EMP0001")
    assert reasons["channel"] == thank["channel"] == channel
    assert options(reasons) == HIGH


# Counting, under k (3) in people, with no subtraction.

LOGISTICS_LIKE = [
    # IT, 2026-W46: nine ratings. Low: 1, 1, 2, 2, 1, 2 (six); 3, 3 (two); high: 5 (one).
    (1, ["slow", "had to chase"]),
    (1, ["slow"]),
    (2, ["slow", "not fixed"]),
    (2, ["slow", "had to chase"]),
    (1, ["had to chase", "not fixed"]),
    (2, None),
    (3, None),
    (3, None),
    (5, ["quick"]),
]


async def seed_it_w46() -> None:
    await data.ratings(
        "it", "2026-W46", [s for s, _ in LOGISTICS_LIKE], rater="finance",
        reasons=[r for _, r in LOGISTICS_LIKE],
    )  # fmt: skip


async def test_the_digest_counts_reasons_under_k_without_subtraction(harness: Harness) -> None:
    await seed_it_w46()
    resp = await harness.command("digest", user_id=ADMIN)
    assert resp.status == 200
    [body] = await harness.slack.wait_for_response()
    digest = message_text(body)
    # Six low scores of nine: the other three (two 3s and a 5) are k, so the band is shown.
    # "slow" in 4 of the six would leave 2 who did not pick it, under k: hidden. "had to
    # chase" in 3 leaves 3: shown. "not fixed" in 2, under k: hidden.
    assert "*Where it breaks down*\n• IT: “had to chase” in 3 of 6 low scores" in digest
    assert "slow" not in digest and "not fixed" not in digest
    # One high score: under k, not shown, nor its reason.
    assert "quick" not in digest and "Went well" not in digest

    computed = await compute_week(harness.services.quality.current, Week.parse("2026-W46"))
    [it] = [d for d in computed.to_json()["departments"] if d["slug"] == "it"]
    assert it["reasons"] == {
        "low": {"scores": 6, "picked": {"had to chase": 3}},
        "high": {"scores": None, "picked": {}},
    }


async def test_report_and_app_home_count_reasons_as_the_digest_does(harness: Harness) -> None:
    await seed_it_w46()
    await harness.command("report it 1", user_id=IT_MANAGER)
    [body] = await harness.slack.wait_for_response()
    assert "Reasons, Low: “had to chase” in 3 of 6 low scores" in message_text(body)
    await harness.event(home_opened(IT_MANAGER), event_id="EvHomeReasons")
    [published] = await harness.slack.wait_for("views.publish")
    home = json.dumps(published.params["view"]["blocks"], ensure_ascii=False)
    assert "Reasons, Low: “had to chase” in 3 of 6 low scores" in home
    assert "slow" not in home


async def test_a_department_with_no_channel_for_thanks_is_offered_reasons_only(
    harness: Harness,
) -> None:
    # Finance names neither a team channel nor an alert channel.
    resp = await harness.interact(submission(user="U0EMP0001", score="5", department="finance"))
    assert resp.status == 200

    async def settled() -> bool:
        return harness.services.tasks.pending == 0

    await harness.slack.wait_for("chat.postEphemeral")
    await until(settled)
    [offer] = offers(harness, "U0EMP0001")
    assert options(offer) == HIGH


async def test_a_report_over_weeks_adds_only_what_each_week_showed(harness: Harness) -> None:
    # Repetition: a report over W45–W46 minus one over W46 alone must not tell W45's hidden
    # count. W46 shows "had to chase" 3 of 6; W45's two who picked it (of 3 low) stay hidden.
    await seed_it_w46()
    await data.ratings(
        "it", "2026-W45", [1, 1, 2, 5, 5, 5], rater="finance",
        reasons=[["had to chase"], ["had to chase"], ["slow"], None, None, None],
    )  # fmt: skip
    await harness.command("report it 2", user_id=IT_MANAGER)
    [body] = await harness.slack.wait_for_response()
    assert "Reasons, Low: “had to chase” in 3 of 6 low scores" in message_text(body)


async def test_celebrate_names_what_went_well_from_k_people(harness: Harness) -> None:
    # IT, W46: six 5s and a 4; "quick" with five of the seven high scores leaves two: hidden;
    # "kind" with four leaves three: shown. The three 3s are k: the band may be shown.
    await data.ratings(
        "it", "2026-W46", [5, 5, 5, 5, 5, 5, 4, 3, 3, 3], rater="finance",
        reasons=[["quick", "kind"], ["quick", "kind"], ["quick", "kind"], ["kind"], ["quick"],
                 ["quick"], None, None, None, None],
    )  # fmt: skip
    await harness.command("digest", user_id=ADMIN)
    [body] = await harness.slack.wait_for_response()
    assert "• Went well: IT “kind” in 4 of 7 high scores" in message_text(body)
    assert "quick" not in message_text(body)


@pytest.mark.parametrize(
    ("finance", "shown"),
    [
        # Finance's three are all high: Sales' five low scores are all of IT's, and "slow" in
        # all five: shown beside Sales' cell in IT's managers' DM.
        ([(4, None), (4, None), (5, None)], True),
        # One low score from Finance, with "slow": IT's low scores are 6, so Sales' 5 would
        # leave that one person's to be worked out. Not shown.
        ([(4, None), (4, None), (5, None), (2, ["slow"])], False),
    ],
)
async def test_a_weak_links_top_reason_shows_only_when_nothing_can_be_subtracted(
    harness: Harness, finance: list[tuple[int, list[str] | None]], shown: bool
) -> None:
    slow = ["slow"]
    await data.ratings(
        "it", "2026-W46", [1, 1, 1, 2, 2], rater="sales",
        reasons=[slow, slow, slow, ["slow", "had to chase"], slow],
    )  # fmt: skip
    await data.ratings(
        "it", "2026-W46", [s for s, _ in finance], rater="finance", reasons=[r for _, r in finance]
    )
    digest = await compute_week(harness.services.quality.current, Week.parse("2026-W46"))
    dm = message_text(build_manager_dm(digest, "it"))
    line = "• Sales: 1.4 (5 ratings) — mostly “slow” (5 of 5 low scores)"
    assert (line in dm) is shown
    assert "• Sales: 1.4 (5 ratings)" in dm
