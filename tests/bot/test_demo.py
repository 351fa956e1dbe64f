"""`make demo` must keep working: it is how a newcomer first sees the product."""

import json
import random
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.blocks.digest import build_manager_dm
from bot.blocks.render import Renderer, block_kit_builder_url
from bot.config import QualityConfig, load_settings
from bot.demo import run_demo
from bot.demo.clock import DemoClock
from bot.demo.history import scores
from bot.digest.compute import compute_week
from bot.digest.model import Reasons
from bot.runtime import db
from bot.weeks import Week
from models.action import Action
from models.department import FROM_SLACK, Department
from models.survey import Rating

# Touches none of the suite's databases (the demo has its own): run once, in the PostgreSQL
# run, which has fewer tests.
pytestmark = pytest.mark.same_on_either_database(run_on="postgresql")

BERLIN = ZoneInfo("Europe/Berlin")


async def test_demo_runs_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert await run_demo(tmp_path / "out", workdir=tmp_path) == 0
    out = capsys.readouterr().out
    flat = " ".join(out.split())  # the summaries are wrapped to the terminal
    # A believable company, with history behind the week it plays.
    company = re.search(r"Acme: (\d+) people in (\d+) departments", flat)
    assert company is not None
    assert int(company[1]) >= 40 and int(company[2]) >= 6
    assert "History: 7 weeks" in flat and "seeded straight into the database" in flat
    week = Week.last_complete(datetime.now(UTC), BERLIN)
    assert f"The rest of the week {week.label}" in flat

    # quality.yml names everyone by name; Alex sets up from App Home, no id looked up.
    setup = out[: out.index("Sam types /quality help")]
    assert "Set-up checklist" in setup and "[ Add a department ]" in setup
    assert "Service channels:\n  [ channels ▾ ]" in setup and "Managers:\n  [ people ▾ ]" in setup
    assert "Alex saves Travel" in setup and "Send me a sample poll" in setup
    after = setup[setup.index("App Home again") :]
    assert "Set-up checklist" not in after
    travel = "Travel · `travel`\nService channels: #travel-desk\nManagers: @iris\n\n  [ Edit ]"
    assert travel in after
    assert "/quality help" in out and "/quality departments" in out
    assert "Ask for help in #it-help" in out and "Ask for help in #travel-desk" in out
    assert "Managed by @ines\n7 members" in out  # IT's members came from its Slack user group
    # A served request in #it-help becomes a DM poll, answered in one click. It reads as Sam
    # wrote it: Slack's escapes and markup read once, shown once.
    assert "How did IT do?" in out and "[ 1 · poor ]  [ 2 ]  [ 3 ]  [ 4 ]  [ 5 · excellent ]" in out
    assert "@someone my VPN drops every hour since the update & the status page" in out
    assert "&amp;" not in out.replace("%26amp%3B", "")  # (the Builder links are URL-encoded)
    # Two polls wait for Sam, stacked in App Home.
    assert "Waiting for your answer (2)" in out and "How did Facilities do?" in out
    assert "Thank you — your answer about IT is in." in out
    # …then, only for Sam, the reasons that go with a 4, and a thanks to IT, signed.
    assert "☐ fast  ☐ fixed first time" in out and "Noted — thank you." in out
    assert ":tada: @sam says thank you, IT!\n>Back online in two hours & you kept me posted!" in out
    # Signed reviews, routed by keyword in English and German; the 1-star one alerted.
    assert "google/g-2002      → logistics  by keyword  unsupported_language (de)" in out
    # Japanese and Korean ones without stars, scored by their words.
    assert "google/g-2004      → logistics  by field    positive (ja)" in out
    assert "google/g-2005      → logistics  by field    negative (ko)" in out
    assert "★☆☆☆☆ 1/5 · trustpilot · Logistics" in out
    # Zendesk and Trustpilot as they send, the App Store polled; a deleted review is gone.
    platforms = out[out.index("Review platforms, each as it sends") :]
    assert (
        "zendesk     created  support-desk/88412     “Bad” → 1/5    → support   by source"
        in platforms
    )
    assert "trustpilot  deleted  the same review: gone from every figure" in platforms
    assert "appstore    polled   3 reviews in 1 page from App Store Connect" in platforms

    # The rest of the week, through the real handlers and webhooks, summed up.
    assert "12 requests served in 6 service channels" in flat
    assert "its retry of JIRA-4711 → 200 duplicate, no second poll" in flat
    assert "→ 15 poll DMs" in flat
    assert "12 of 15 answered (8 with one click, 4 with a comment in the modal)" in flat
    assert "“Third time this month, and it is freezing in B2. Awful.” — Facilities" in flat
    assert "— Facilities, 1/5" not in flat  # a comment is never shown beside its score
    reviews = re.search(r"10 signed reviews .* (\d+) negative ones alerted", flat)
    assert reviews is not None and int(reviews[1]) >= 4
    held = re.search(r"The week now holds (\d+) answers and (\d+) reviews", flat)
    assert held is not None and int(held[1]) >= 40 and int(held[2]) >= 30
    assert "The app closed those 7 weeks" in flat
    closed = re.search(r"The (\d+) answers still held joined the week's (\d+) released", flat)
    assert closed is not None and int(closed[1]) + int(closed[2]) == int(held[1])

    # Monday: the digest of the week, attention first, the chart as a PNG, a manager's DM.
    digest = out[out.index("#quality-digest gets the digest of") :]
    assert digest.index("Needs attention") < digest.index("By department")
    assert "Logistics — internal rating down" in digest and "falling together" in digest
    assert "Colleagues: hidden (<3 responses)" in digest  # HR's small group stays hidden
    [png] = (tmp_path / "out").glob("quality-*.png")
    assert png.read_bytes().startswith(b"\x89PNG") and f"Chart PNG: {png.resolve()}" in out
    assert "Lars, Logistics' manager, gets his department's detail by DM" in out
    assert "Posting " in out and "a second time: already posted" in out
    # Where service broke down: the reasons picked with low scores, counted under k.
    assert re.search(r"Where it breaks down\n• Logistics: “late” in \d+ of \d+ low scores", out)

    # Closing the loop: an action done weeks ago, measured again; Lars acts on a finding of his
    # DM; Bruno's action is done and the people asked about Facilities hear of it.
    assert re.search(r"Done: Loaner laptops .* colleagues \d\.\d → \d\.\d", flat)
    assert "Lars clicks “Act on this” beside his first finding" in out
    told = re.search(r"“You said, we did” went to (\d+) people asked about Facilities", flat)
    assert told is not None and int(told[1]) >= 3
    # The comment signed during the week is a case, claimed and resolved.
    assert "#facilities-team got the signed comment as a case" in out
    assert "Resolved by @bruno" in out and "What was done: Called back" in out

    saved = sorted((tmp_path / "out").glob("*.json"))
    assert len(saved) == 20
    assert json.loads(saved[0].read_text())["blocks"][0]["type"] == "header"
    assert "https://app.slack.com/block-kit-builder/#" in out
    # Eight weeks of a believable company, and not one rating anyone could work out.
    settings = load_settings(
        environ={"DATABASE_URL": f"sqlite://{tmp_path / 'demo.db'}"}, cwd=tmp_path
    )
    await db.open_database(settings.database_url)
    try:
        assert await Action.exists(department__slug="logistics", created_by="U0LOG0001")
        row = await Department.get(slug="travel")
        assert row.origin == FROM_SLACK and row.settings
        assert row.settings["managers"] == ["U0TRV0001"]
        await _nothing_derivable(settings.quality_file, week.back(8))
    finally:
        await db.close_database()


async def _nothing_derivable(quality: QualityConfig, weeks: list[Week]) -> None:
    """Checked against the stored rows, not through the suppression rule itself: every shown
    figure is drawn from k people, and no shown total leaves one or two by subtraction."""
    k = quality.privacy.min_group_size
    ids = dict(await Department.all().values_list("slug", "id"))
    shown_groups = 0
    for week in weeks:
        digest = await compute_week(quality, week)
        for dept in digest.departments:
            rows = Rating.filter(week=week.label, department_id=ids[dept.slug])
            count = await rows.count()
            if count < k or dept.internal.suppressed:
                assert dept.internal.suppressed and dept.internal.responses is None
                continue
            shown_groups += 1
            cells = sum(c.responses for c in digest.matrix if c.rated == dept.slug)
            assert count - cells == 0 or count - cells >= k, (week, dept.slug, count, cells)
            signed = await rows.filter(sentiment_label__in=["positive", "negative", "neutral"])
            if dept.internal.sentiment is not None:
                assert len(signed) >= k, (week, dept.slug)
            if dept.internal.polls_sent is not None:
                assert dept.internal.polls_sent >= k
            await _reasons_hold_k(dept.reasons, rows, k)
            dm = json.dumps(build_manager_dm(digest, dept.slug))
            assert not re.search(r"rated \d|\d★ ·", dm), (week, dept.slug)
    assert shown_groups >= 30  # the story has a lot to show


async def _reasons_hold_k(shown: Reasons, rows: Any, k: int) -> None:
    """Each reason count shown is k people or more, and so are those of its band who did not
    pick it (when there are any): counted again from the stored ratings."""
    stored = await rows.values_list("score", "reasons")
    for band, band_scores in ((shown.low, {1, 2}), (shown.high, {4, 5})):
        in_band = [picked or [] for score, picked in stored if score in band_scores]
        if band.scores is not None:
            assert band.scores == len(in_band)
        for p in band.picked:
            n = p.people
            assert n == sum(p.reason in picked for picked in in_band) and n >= k
            assert p.of == len(in_band) and (len(in_band) - n == 0 or len(in_band) - n >= k)


def test_the_demo_clock_plays_friday_morning_of_the_last_complete_week() -> None:
    monday_early = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)  # still Sunday in UTC
    clock = DemoClock.last_complete_week(BERLIN, real_now=monday_early)
    assert clock.week.label == "2026-W47"
    started = (monday_early + clock.offset).astimezone(BERLIN)
    assert started == datetime(2026, 11, 20, 10, tzinfo=BERLIN)  # Friday, 10:00
    # …and from there it runs with real time.
    assert abs(clock() - datetime.now(UTC) - clock.offset) < timedelta(seconds=1)


def test_seeded_scores_average_as_the_story_says() -> None:
    rng = random.Random(1)  # noqa: S311 - not a secret
    for count, mean in [(8, 2.8), (12, 4.3), (3, 3.5), (1, 5.0)]:
        found = scores(rng, count, mean)
        assert len(found) == count and all(1 <= s <= 5 for s in found)
        assert abs(sum(found) / count - mean) <= 0.5 / count + 1e-9
    assert scores(rng, 0, 4.0) == []


def test_renderer_shows_names_links_and_bold() -> None:
    r = Renderer({"U0IT00001": "ines", "C0ITHELP1": "it-help"})
    assert r.mrkdwn("*IT* by <@U0IT00001> in <#C0ITHELP1>") == "IT by @ines in #it-help"
    assert r.mrkdwn("<@U0X|bob> and <!here> &lt;tag&gt;") == "@bob and @here <tag>"
    assert r.mrkdwn("<https://acme.test|the docs>") == "the docs (https://acme.test)"
    assert "\033[1mIT\033[0m" in Renderer(ansi=True).mrkdwn("*IT*")


def test_builder_url_carries_the_blocks() -> None:
    url = block_kit_builder_url([{"type": "divider"}])
    assert url.endswith("%7B%22blocks%22%3A%5B%7B%22type%22%3A%22divider%22%7D%5D%7D")
