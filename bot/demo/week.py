"""The demo week, played through the real app: requests marked ✅ in service channels and
reported by the service desk tool become poll DMs, people answer them (a click, or a comment
through the modal), and customers' reviews arrive signed. A summary is printed rather than a
screen per event: the first of each kind was shown in full before."""

import asyncio
import textwrap
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.demo.clock import DemoClock
from bot.demo.company import CHANNELS, email
from bot.demo.history import Counts
from bot.demo.offers import offered, offers_to, pick, thank
from bot.demo.player import Player
from bot.demo.script import REPORTED, SERVED, Reported, reviews
from bot.slack_standin import Call, SlackStandIn
from models.review import ALERT_PENDING, ALERT_SENDING, ALERT_SENT, Review
from models.survey import HeldAnswer, Rating

WAIT = 15.0  # seconds: generous, for a slow CI machine
WIDTH = 96


@dataclass(frozen=True)
class Answer:
    user: str
    score: int | None  # None: not answered yet
    comment: str | None
    signed: bool = False  # the comment sent with their name: a follow-up case


async def play_week(player: Player, slack: SlackStandIn, clock: DemoClock, seeded: Counts) -> None:
    """Play the rest of the week; `seeded` is what was seeded of it before."""
    first, last = clock.week.monday, clock.week.sunday
    span = f"{first:%a} {first.day} {first:%b} – {last:%a} {last.day} {last:%b %Y}"
    title = f"The rest of the week {clock.week.label} ({span})"
    print(f"\n── {title} " + "─" * max(0, 76 - len(title)))
    now = clock().astimezone(clock.tz)
    _say(
        f"The app's clock reads {now:%A} {now.day} {now:%B, %H:%M} "
        f"({clock.tz.key}) and runs on from there: the week played is the last complete one, "
        "the week a digest reports today."
    )
    await _serve(player, slack, clock)
    await _report(player)
    answers = [Answer(s.author, s.score, s.comment, s.signed) for s in SERVED]
    answers += [Answer(r.requester, r.score, r.comment) for r in REPORTED]
    dms = await _poll_dms(slack, [a.user for a in answers])
    await _answer(player, slack, dms, answers)
    await _reviews(player, clock)
    label = clock.week.label
    given = await HeldAnswer.filter(week=label).count() + await Rating.filter(week=label).count()
    reviews_ = await Review.filter(week=label).count()
    _say(
        f"The week now holds {given} answers and {reviews_} reviews: {seeded.ratings} "
        f"answers (from {seeded.polls} polls) and {seeded.reviews} reviews were seeded as "
        "written earlier in the week; the rest came through the app in this demo."
    )


def _say(text: str) -> None:
    print(textwrap.fill(text, WIDTH, initial_indent="  ", subsequent_indent="      "))


async def _serve(player: Player, slack: SlackStandIn, clock: DemoClock) -> None:
    for number, served in enumerate(SERVED, start=1):
        ts = f"{clock.at(served.day, served.hour).timestamp():.0f}.{number:06d}"
        shape: dict[str, Any] = {}
        if served.thread is not None:  # the helper's thread, started an hour before
            started = f"{clock.at(served.day, served.hour - 1).timestamp():.0f}.{number:06d}"
            slack.add_message(
                served.channel, started, user=served.helper, text=slack.text_of(served.thread)
            )
            shape["thread_ts"] = started
            if served.broadcast:
                shape["subtype"] = "thread_broadcast"
        if served.files:
            shape.update(subtype="file_share", files=[{"name": name} for name in served.files])
        text = slack.text_of(served.text)  # what Slack stores and sends of what they typed
        slack.add_message(served.channel, ts, user=served.author, text=text, **shape)
        await player.event({
            "type": "reaction_added", "user": served.helper, "reaction": "white_check_mark",
            "item": {"type": "message", "channel": served.channel, "ts": ts},
            "item_user": served.author, "event_ts": ts,
        })  # fmt: skip
    channels = sorted({f"#{CHANNELS[s.channel]}" for s in SERVED})
    _say(
        f"{len(SERVED)} requests served in {len(channels)} service channels "
        f"({', '.join(channels)}) — written as people write them, with mentions, links, "
        "emoji and <, & and >, one with a screenshot, two as thread replies (one also sent to "
        f"the channel) — each marked ✅ by the department → {len(SERVED)} signed "
        "reaction_added events to /slack/events"
    )


async def _report(player: Player) -> None:
    statuses: list[int] = []
    for reported in REPORTED:
        status, answer = await player.interaction(_interaction(reported))
        if status != 201:
            raise RuntimeError(f"/webhooks/interactions answered {status}: {answer}")
        statuses.append(status)
    # The tool did not see our answer in time and sends the first one again.
    status, answer = await player.interaction(_interaction(REPORTED[0]))
    ids = f"{REPORTED[0].id} … {REPORTED[-1].id}"
    _say(
        f"{len(REPORTED)} requests closed in the service desk tool ({ids}) → "
        f"{statuses.count(201)} × 201 from /webhooks/interactions; its retry of "
        f"{REPORTED[0].id} → {status} {answer['status']}, no second poll"
    )


def _interaction(reported: Reported) -> dict[str, Any]:
    who = "email" if reported.by_email else "slack_id"
    return {
        "id": reported.id,
        "department": reported.department,
        "requester": {who: email(reported.requester) if reported.by_email else reported.requester},
        "summary": reported.summary,
        "url": f"https://jira.acme.example/browse/{reported.id}",
    }


async def _poll_dms(slack: SlackStandIn, users: list[str]) -> dict[str, Call]:
    wanted = set(users)
    calls = await slack.wait_for(
        "chat.postMessage",
        len(wanted),
        WAIT,
        where=lambda c: c.params.get("channel") in wanted,
    )
    dms = {str(c.params["channel"]): c for c in calls}
    _say(f"→ {len(dms)} poll DMs, each person asked once, within the fatigue budget")
    return dms


async def _answer(
    player: Player, slack: SlackStandIn, dms: Mapping[str, Call], answers: Iterable[Answer]
) -> None:
    answered: Counter[str] = Counter()  # department name → answers
    comments: list[tuple[str, Answer]] = []
    picked: Counter[str] = Counter()  # "picked", "skipped"
    thanked = False
    for answer in answers:
        dm = dms[answer.user]
        if answer.score is None:
            continue
        if answer.comment is None:
            score = poll_button(dm.params["blocks"], "poll_scores", answer.score - 1)
            thanks = await player.click(answer.user, score)
            assert "Thank you" in str(thanks.get("text")), thanks
        else:
            await _comment(player, slack, dm, answer)
            comments.append((_department(dm), answer))
        if answer.score != 3:  # a 3 is offered no reasons
            [offer, *_] = await offers_to(slack, answer.user, 1)
            # Most pick the department's usual trouble or strength; some skip after a 4 or 5.
            skip = answer.score >= 4 and picked["skipped"] < picked["picked"] // 2
            await pick(player, answer.user, offer.params, [] if skip else offered(offer.params)[:1])
            picked["skipped" if skip else "picked"] += 1
        if answer.score == 5 and _department(dm) == "IT" and not thanked:
            [_, offer] = await offers_to(slack, answer.user, 2)
            await thank(player, slack, answer.user, offer.params, "Laptop swapped same day",
                        sign=False)  # fmt: skip
            thanked = True
        answered[_department(dm)] += 1
    total = answered.total()
    _say(
        f"{total} of {len(dms)} answered ({total - len(comments)} with one click, "
        f"{len(comments)} with a comment in the modal): "
        + ", ".join(f"{dept} {n}" for dept, n in answered.most_common())
        + f"; {len(dms) - total} not yet, a reminder follows after 24 hours. Each answer was "
        "committed before Slack was told it was taken, and is held without a name until it "
        f"can be mixed with others. After a 1–2 or a 4–5, {picked['picked']} picked the "
        f"reason that fit (added to their held answer), {picked['skipped']} skipped; "
        + ("one thanked IT without signing: it waits for the day's 16:00 batch, so its "
           "moment does not point at who was just served. " if thanked else "")
        + "The comments, which no one will see beside their scores:"
    )  # fmt: skip
    for department, a in comments:
        _say(f"    “{a.comment}” — {department}")


async def _comment(player: Player, slack: SlackStandIn, dm: Call, answer: Answer) -> None:
    assert answer.score is not None and answer.comment is not None
    trigger = await player.press(answer.user, poll_button(dm.params["blocks"], "poll_more", 0))
    [opened] = await slack.wait_for(
        "views.open", 1, WAIT, where=lambda c: c.params.get("trigger_id") == trigger
    )
    values = {
        "score": {"score": {"type": "radio_buttons",
                            "selected_option": {"value": str(answer.score)}}},
        "comment": {"comment": {"type": "plain_text_input", "value": answer.comment}},
        "consent": {"consent": {"type": "checkboxes",
                                "selected_options": [{"value": "yes"}] if answer.signed else []}},
    }  # fmt: skip
    reply = await player.submit(answer.user, opened.response["view"], values)
    assert not reply, reply  # an empty answer closes the modal; errors would be in it
    ts = dm.response["ts"]
    await slack.wait_for("chat.update", 1, WAIT, where=lambda c: c.params.get("ts") == ts)


def poll_button(blocks: list[dict[str, Any]], kind: str, index: int) -> dict[str, Any]:
    """The `index`th button of the poll's `kind` block ("poll_scores", "poll_more"), as a click
    on it carries it."""
    block = next(b for b in blocks if b.get("block_id", "").startswith(f"{kind}:"))
    return {**block["elements"][index], "block_id": block["block_id"]}


def _department(dm: Call) -> str:
    # "How did IT do with …?": the poll names its department first.
    return str(dm.params["text"]).removeprefix("How did ").split(" do", 1)[0]


async def _reviews(player: Player, clock: DemoClock) -> None:
    batch = reviews(clock)
    answer = await player.review({"reviews": batch})
    results = answer["results"]
    languages = Counter(str(r["sentiment"]["language"]) for r in results)
    routed = Counter(str(r["department"]) for r in results)
    alerted = await _alerts_settled([str(r["id"]) for r in batch])
    _say(
        f"{len(batch)} signed reviews written this week, in "
        + ", ".join(f"{lang} {n}" for lang, n in sorted(languages.items()))
        + ", to /webhooks/reviews → "
        + ", ".join(f"{dept} {n}" for dept, n in routed.most_common())
        + f"; {alerted.total()} negative ones alerted their department's channel at once ("
        + ", ".join(f"{dept} {n}" for dept, n in alerted.most_common())
        + ")"
    )


async def _alerts_settled(ids: list[str]) -> Counter[str]:
    """Wait until the alert loop has handled these reviews; return where alerts went."""
    pending = Review.filter(external_id__in=ids, alert__in=(ALERT_PENDING, ALERT_SENDING))
    async with asyncio.timeout(WAIT):
        # The alert loop is the app's own task, with nothing to await from outside: what it
        # has left to do is in the database (a review with no alert channel ends unposted).
        while await pending.exists():  # noqa: ASYNC110
            await asyncio.sleep(0.05)
    sent = await Review.filter(external_id__in=ids, alert=ALERT_SENT).values_list(
        "department__slug", flat=True
    )
    return Counter(str(slug) for slug in sent)
