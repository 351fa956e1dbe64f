"""Seven weeks of Acme's history, and the start of the demo week, written straight to the
database the way the app stores them: anonymous ratings (for the demo week, answers still held
with their marks, as the week is open), the polls that asked for them (answered or expired),
and routed, scored customer reviews. The app then closes the history's weeks as it closes any
week that is over: their ratings mixed again, their polls folded into tallies.

Deterministic (a seeded `random.Random`), and bulk: a few hundred rows each, in well under a
second. Every distinct text is scored once by the app's own sentiment pool, off the loop.
"""

import hashlib
import math
import random
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from time import perf_counter
from typing import NamedTuple

from tortoise.transactions import in_transaction

from bot.config import QualityConfig
from bot.demo.clock import FRIDAY, DemoClock, local
from bot.demo.company import department_of, members
from bot.demo.story import MAIN_CUSTOMERS, MAIN_WEIGHT, SOURCES, STORY, WEEKS
from bot.demo.texts import COMMENTS, REVIEWS, tone
from bot.sentiment import Sentiment, SentimentPool, rating_disagrees
from bot.surveys.reasons import band
from bot.weeks import Week
from models.department import Department
from models.review import Review
from models.survey import (
    ANSWERED,
    EXPIRED,
    AnswerMark,
    HeldAnswer,
    Poll,
    Rating,
    ResolutionTime,
)

SEED = 2026
# Each department's typical hours from a request to its resolution (IT keeps its promise of
# 8 hours; Logistics, promising 24, does not).
RESOLVE_HOURS = {"it": 4.0, "finance": 20.0, "logistics": 30.0, "hr": 16.0, "facilities": 10.0,
                 "support": 3.0, "legal": 40.0, "sales": 12.0}  # fmt: skip
COMMENT_SHARE = 0.4
# Of the people offered reasons after a low or high score: how many skip them, how many pick
# the department's usual one, and how many pick a second as well.
SKIPPED_REASONS, USUAL_REASON, SECOND_REASON = 0.1, 0.9, 0.3
TRIGGERS = ("reaction", "reaction", "webhook")  # most requests are served in Slack


@dataclass
class Rows:
    ratings: list[Rating] = field(default_factory=list)
    held: list[HeldAnswer] = field(default_factory=list)  # the open week's answers
    marks: list[AnswerMark] = field(default_factory=list)
    polls: list[Poll] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    resolutions: list[ResolutionTime] = field(default_factory=list)

    @property
    def answers(self) -> int:
        return len(self.ratings) + len(self.held)


class Counts(NamedTuple):
    ratings: int
    polls: int
    reviews: int


@dataclass(frozen=True)
class Seeded:
    """What was written: the history's weeks, and counts for the demo to print."""

    weeks: tuple[Week, ...]  # the seven weeks before the demo week, oldest first
    ratings: int
    polls: int
    reviews: int
    texts: int  # distinct texts scored
    this_week: Counts  # what was seeded of the demo week itself
    seconds: float


async def seed_history(
    quality: QualityConfig,
    clock: DemoClock,
    sentiment: SentimentPool,
    *,
    keep_free: Collection[str] = (),
) -> Seeded:
    """Write the history. `keep_free` are the people the demo asks during its week: none of
    their budget is spent by seeded polls, so the real fatigue budget lets them be asked."""
    started = perf_counter()
    rng = random.Random(SEED)  # noqa: S311 - made-up data, the same on every run
    departments = {d.slug: d for d in await Department.filter(active=True)}
    raters = Raters(rng, quality)
    weeks = clock.week.back(WEEKS)
    plan = Plan(rng, quality, clock)
    per_week: list[Rows] = []
    for index, week in enumerate(weeks):
        raters.new_week(keep_free if week == clock.week else ())
        per_week.append(plan.week(index, week, departments, raters))
    scored = await _score(sentiment, per_week)
    rows = Rows()
    for week_rows in per_week:
        _apply(week_rows, scored)
        rows.ratings += week_rows.ratings
        rows.held += week_rows.held
        rows.marks += week_rows.marks
        rows.polls += week_rows.polls
        rows.reviews += week_rows.reviews
        rows.resolutions += week_rows.resolutions
    async with in_transaction():
        await Rating.bulk_create(rows.ratings, batch_size=500)
        await HeldAnswer.bulk_create(rows.held, batch_size=500)
        await AnswerMark.bulk_create(rows.marks, batch_size=500)
        await Poll.bulk_create(rows.polls, batch_size=500)
        await Review.bulk_create(rows.reviews, batch_size=500)
        await ResolutionTime.bulk_create(rows.resolutions, batch_size=500)
    demo = per_week[-1]
    return Seeded(
        weeks=tuple(weeks[:-1]),
        ratings=rows.answers,
        polls=len(rows.polls),
        reviews=len(rows.reviews),
        texts=len(scored),
        this_week=Counts(demo.answers, len(demo.polls), len(demo.reviews)),
        seconds=perf_counter() - started,
    )


class Raters:
    """Who answers, within the fatigue budget: at most `max_per_person_per_week` polls a week,
    never about their own department, never twice about the same one in a week."""

    def __init__(self, rng: random.Random, quality: QualityConfig) -> None:
        self._rng = rng
        self._people = members(quality)
        self._department_of = department_of(quality)
        self._budget = quality.surveys.max_per_person_per_week
        self._asked: dict[str, int] = {}
        self._pairs: set[tuple[str, str]] = set()
        self._free: frozenset[str] = frozenset()

    def new_week(self, keep_free: Collection[str]) -> None:
        self._asked.clear()
        self._pairs.clear()
        self._free = frozenset(keep_free)

    def pick(self, rated: str) -> tuple[str, str] | None:
        """(user id, their department) of someone who may be asked about `rated`, or None."""
        others = [slug for slug in self._people if slug != rated]
        main = MAIN_CUSTOMERS.get(rated, ())
        weights = [MAIN_WEIGHT if slug in main else 1 for slug in others]
        first = self._rng.choices(others, weights)[0]
        for slug in [first, *self._rng.sample(others, len(others))]:
            people = [u for u in self._people[slug] if self._may_ask(u, rated)]
            if people:
                user = self._rng.choice(people)
                self._asked[user] = self._asked.get(user, 0) + 1
                self._pairs.add((user, rated))
                return user, self._department_of[user]
        return None

    def _may_ask(self, user: str, rated: str) -> bool:
        return (
            user not in self._free
            and self._department_of.get(user) != rated
            and self._asked.get(user, 0) < self._budget
            and (user, rated) not in self._pairs
        )


class Plan:
    """One week's rows, before their texts are scored."""

    def __init__(self, rng: random.Random, quality: QualityConfig, clock: DemoClock) -> None:
        self._rng = rng
        self._clock = clock
        # Times to resolution from a generator of their own: the rest of the story stays as
        # it was written.
        self._times = random.Random(SEED + 1)  # noqa: S311 - made-up data
        self._reasons = random.Random(SEED + 2)  # noqa: S311 - made-up data
        self._quality = quality

    def week(
        self, index: int, week: Week, departments: Mapping[str, Department], raters: Raters
    ) -> Rows:
        rows = Rows()
        for slug, trend in STORY.items():
            department = departments[slug]
            for score in scores(self._rng, trend.responses[index], trend.average[index]):
                asked = raters.pick(slug)
                if asked is None:
                    continue  # everyone who could be asked was asked enough this week
                self._rating(rows, week, department, asked, score)
            expired = round(trend.responses[index] * trend.expired)
            for _ in range(expired):
                if (asked := raters.pick(slug)) is not None:
                    # In the demo week only Monday's polls have had their 72 hours to expire.
                    sent = self._moment(week, latest_day=0 if week == self._clock.week else 4)
                    rows.polls.append(self._poll(department, asked[0], sent, EXPIRED))
            stars = scores(self._rng, trend.reviews[index], trend.stars[index])
            for number, rating in enumerate(stars, start=1):
                rows.reviews.append(self._review(week, department, number, rating))
        for poll in rows.polls:
            hours = self._times.lognormvariate(math.log(RESOLVE_HOURS[poll.department.slug]), 0.6)
            rows.resolutions.append(
                ResolutionTime(department=poll.department, week=week.label, hours=round(hours, 1))
            )
        return rows

    def _rating(
        self, rows: Rows, week: Week, department: Department, asked: tuple[str, str], score: int
    ) -> None:
        comment = None
        if self._rng.random() < COMMENT_SHARE:
            comment = self._rng.choice(COMMENTS[department.slug][tone(score)])
        answer = {"department": department, "rater_department": asked[1], "score": score,
                  "comment": comment, "reasons": self._picked(department.slug, score),
                  "week": week.label}  # fmt: skip
        if week == self._clock.week:  # still open: held, and the person marked as having rated
            rows.held.append(HeldAnswer(id=uuid.uuid4(), **answer))
            rows.marks.append(
                AnswerMark(
                    id=uuid.uuid4(), user_id=asked[0], department=department, week=week.label
                )
            )
        else:
            rows.ratings.append(Rating(id=uuid.uuid4(), **answer))
        rows.polls.append(self._poll(department, asked[0], self._moment(week), ANSWERED))

    def _picked(self, slug: str, score: int) -> list[str] | None:
        """The reasons someone picked with `score`, if they picked any: mostly the first the
        department offers (its usual trouble, or its usual strength), sometimes another."""
        which = band(score)
        offered = self._quality.reasons(slug, which) if which else ()
        if not offered or self._reasons.random() < SKIPPED_REASONS:
            return None
        usual = self._reasons.random() < USUAL_REASON
        picked = {offered[0] if usual else self._reasons.choice(offered)}
        if self._reasons.random() < SECOND_REASON:
            picked.add(self._reasons.choice(offered))
        return [reason for reason in offered if reason in picked]

    def _poll(self, department: Department, user: str, sent: datetime, status: str) -> Poll:
        return Poll(
            id=uuid.uuid4(),
            user_id=user,
            department=department,
            trigger=self._rng.choice(TRIGGERS),
            status=status,
            created_at=sent,
            sent_at=sent,
        )

    def _review(self, week: Week, department: Department, number: int, rating: int) -> Review:
        language, text = self._rng.choice(REVIEWS[department.slug][tone(rating)])
        source = self._rng.choice(list(SOURCES))
        external_id = f"{SOURCES[source]}-{week.label.lower()}-{department.slug[:3]}{number:02d}"
        written = self._moment(week)
        return Review(
            source=source,
            external_id=external_id,
            department=department,
            routed_by="keyword",  # every bank text names one of its department's keywords
            rating=float(rating),
            text=text,
            language=language,
            created_at=written,
            week=week.label,
            received_at=written + timedelta(minutes=self._rng.randint(1, 30)),
            content_hash=hashlib.sha256(f"{source}\n{external_id}\n{text}".encode()).hexdigest(),
        )

    def _moment(self, week: Week, latest_day: int = 4) -> datetime:
        """Office hours, Monday to Friday; in the demo week, only before its Friday morning."""
        day, hour = self._rng.randint(0, latest_day), self._rng.randint(8, 17)
        moment = local(week, day, time(hour, self._rng.randint(0, 59)), self._clock.tz)
        if week != self._clock.week:
            return moment
        cutoff = self._clock.at(FRIDAY, 9, 30)
        return min(moment, cutoff - timedelta(minutes=self._rng.randint(5, 90)))


def scores(rng: random.Random, count: int, mean: float) -> list[int]:
    """`count` scores from 1 to 5 that average to `mean` (as closely as whole numbers can),
    spread the way real answers are rather than all alike."""
    if count <= 0:
        return []
    total = min(5 * count, max(count, round(mean * count)))
    base, extra = divmod(total, count)
    found = [base + 1 if i < extra else base for i in range(count)]
    for _ in range(count // 2):  # move a point from one answer to another: same sum, wider
        i, j = rng.randrange(count), rng.randrange(count)
        if i != j and found[i] < 5 and found[j] > 1:
            found[i] += 1
            found[j] -= 1
    rng.shuffle(found)
    return found


async def _score(sentiment: SentimentPool, weeks: list[Rows]) -> dict[str, Sentiment]:
    texts = sorted(
        {r.comment for rows in weeks for r in rows.ratings if r.comment}
        | {r.text for rows in weeks for r in rows.reviews if r.text}
    )
    return dict(zip(texts, await sentiment.analyze_many(texts), strict=True))


def _apply(rows: Rows, scored: Mapping[str, Sentiment]) -> None:
    for rating in rows.ratings:
        if rating.comment:
            found = scored[rating.comment]
            rating.sentiment_label = found.label
            rating.sentiment_polarity = found.polarity
            rating.sentiment_language = found.language
    for review in rows.reviews:
        found = scored[review.text or ""]
        review.sentiment_label = found.label
        review.sentiment_polarity = found.polarity
        review.sentiment_language = found.language
        review.disagrees = rating_disagrees(review.rating, found)
