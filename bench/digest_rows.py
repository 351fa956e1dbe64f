"""A year of a 50-department company, as rows for the digest benchmark.

Generated week by week, oldest first, as the app leaves them once each week is closed (rows of
one week lie together on disk, as they do in production), from a fixed seed so that both
databases hold the same data. Departments differ in size by a factor of ~3,000, so the smallest
groups fall below `min_group_size` and are suppressed, as in a real company. Every rating
answered a poll, and another poll in ten expired unanswered; the closed weeks keep the polls
without telling the two apart, and the counts in a tally per department and week.
"""

import random
from bisect import bisect
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from typing import Any
from zoneinfo import ZoneInfo

from bot.weeks import Week

TIMEZONE = "Europe/Berlin"
TZ = ZoneInfo(TIMEZONE)
FIRST_WEEK = Week.parse("2025-W48")
MIN_GROUP_SIZE = 5

_BASES = ("IT", "Finance", "HR", "Facilities", "Legal", "Procurement", "Payroll", "Security",
          "Support", "Logistics")  # fmt: skip
_SITES = ("Berlin", "Paris", "Madrid", "London", "Austin")
_SOURCES = ("trustpilot", "google", "app-store", "g2", "zendesk")
_NAMES = ("Anna Schmidt", "Tom Baker", "Lucía Gómez", "Jean Dupont", "Priya Nair", "Wei Chen",
          "Ola Nordmann", "Sam Lee", "Maria Rossi", "Kofi Mensah")  # fmt: skip
_SAID = {
    "positive": ("Quick and friendly, thanks Anna!", "Fixed my laptop within the hour.",
                 "Great help with the VPN, very patient.", "Excellent service, clear answers.",
                 "Super helpful, solved it on the first call.",
                 "Thanks Tom for sorting out the expense claim so fast."),
    "negative": ("Nobody answered for three days.", "The ticket was closed without a fix.",
                 "Rude reply and the problem is still there.",
                 "Terrible wait, I had to ask four times.", "Wrong invoice again, very annoying.",
                 "Slow and confusing, call me at +49 30 1234 5678."),
    "neutral": ("It was done.", "Ticket handled.", "The form was processed.",
                "Received the replacement."),
    "no_signal": ("ok", "see ticket JIRA-1234", "n/a", "👍"),
    "unsupported_language": ("Sehr schnell erledigt, danke.", "Rien ne marche depuis lundi.",
                             "Muy amables y rápidos."),
}  # fmt: skip
_TITLES = ("Good", "Bad experience", "Fast", "Never again", "Solid", "Could be better")
_SCORED = ("positive", "negative", "neutral")
_FOREIGN = "unsupported_language"
_TRIGGERS = ("reaction", "reaction", "webhook")
_ROUTES = ("field", "field", "keyword")
_LANGUAGES = ("de", "fr", "es")

RATING_COLUMNS = ("id", "department_id", "rater_department", "score", "comment", "sentiment_label",
                  "sentiment_polarity", "sentiment_language", "week")  # fmt: skip
REVIEW_COLUMNS = ("source", "external_id", "department_id", "routed_by", "rating", "title",
                  "text", "author", "language", "url", "created_at", "week", "received_at",
                  "content_hash", "sentiment_label", "sentiment_polarity", "sentiment_language",
                  "disagrees", "alert", "alert_claimed_at")  # fmt: skip
POLL_COLUMNS = ("id", "user_id", "department_id", "trigger", "trigger_key", "summary", "url",
                "status", "reason", "channel", "message_ts", "created_at", "sent_at",
                "reminded_at", "closed_at", "attempts", "claimed_at")  # fmt: skip
TALLY_COLUMNS = ("department_id", "week", "sent", "answered")
MEMBERSHIP_COLUMNS = ("user_id", "department_id", "source", "synced_at")

Row = tuple[Any, ...]


@dataclass(frozen=True)
class Shape:
    departments: int = 50
    people: int = 10_000
    weeks: int = 52
    ratings: int = 1_000_000
    reviews: int = 1_000_000

    @property
    def last_week(self) -> Week:
        return Week(FIRST_WEEK.monday + timedelta(weeks=self.weeks - 1))

    def describe(self) -> str:
        return (
            f"{self.ratings:,} ratings and {self.reviews:,} reviews over {self.weeks} weeks, "
            f"{self.departments} departments, {self.people:,} people"
        )


def departments(shape: Shape) -> list[tuple[str, str]]:
    """(slug, name) of each department, biggest first."""
    pairs = [(base, site) for site in _SITES for base in _BASES]
    return [(f"{b}-{s}".lower(), f"{b} {s}") for b, s in pairs[: shape.departments]]


def user_id(person: int) -> str:
    return f"U{person:08d}"


def quality_yml(shape: Shape) -> str:
    """quality.yml for these departments: each synced from a user group, two managers each."""
    lines = [
        f"timezone: {TIMEZONE}",
        "privacy:",
        f"  min_group_size: {MIN_GROUP_SIZE}",
        "digest:",
        "  channel: C0DIGEST01",
        "departments:",
    ]
    for i, (slug, name) in enumerate(departments(shape)):
        lines += [
            f"  - slug: {slug}",
            f"    name: {name}",
            f"    channels: [C{i:08d}]",
            f"    usergroup: S{i:08d}",
            f"    managers: [{user_id(i)}, {user_id(i + shape.departments)}]",
        ]
    return "\n".join(lines) + "\n"


class Company:
    """Who works where, and how each department tends to be rated: fixed by the seed.

    Written for speed (two million rows a run): one uniform draw per choice, bisected."""

    def __init__(self, shape: Shape, department_ids: list[int], seed: int = 47) -> None:
        self.shape = shape
        self.rng = random.Random(seed)  # noqa: S311 - made-up data, no secret
        self.ids = department_ids
        self.slugs = [slug for slug, _ in departments(shape)]
        d = shape.departments
        # Sizes fall geometrically: the first department is ~3,000 times the last.
        self.internal_cum = list(accumulate(0.85**i for i in range(d)))
        # Customers mostly review other departments than the busiest internal ones.
        self.external_cum = list(accumulate(0.85 ** ((i * 7) % d) for i in range(d)))
        # The first `d` people manage one department each, then the next `d`; the rest anywhere.
        self.home = [i % d for i in range(2 * d)] + self.rng.choices(
            range(d), cum_weights=self.internal_cum, k=shape.people - 2 * d
        )
        # Each department's score distribution (1..5), from poor to excellent.
        self.scores_cum = [
            list(accumulate(_score_weights(self.rng.uniform(-1.0, 1.0)))) for _ in range(d)
        ]
        self.numbers = iter(range(1, 1 << 62))

    def memberships(self) -> list[Row]:
        now = datetime(2026, 11, 23, 6, tzinfo=UTC)
        return [(user_id(p), self.ids[d], "usergroup", now) for p, d in enumerate(self.home)]

    def weeks(self, total: int) -> Iterator[tuple[str, datetime, int, int]]:
        """Each week's label, start (UTC), length in seconds and share of `total` rows."""
        base, extra = divmod(total, self.shape.weeks)
        for w in range(self.shape.weeks):
            week = Week(FIRST_WEEK.monday + timedelta(weeks=w))
            start, end = week.bounds(TZ)
            yield week.label, start, int((end - start).total_seconds()), base + (w < extra)

    def ratings_and_polls(self) -> Iterator[tuple[list[Row], list[Row], list[Row]]]:
        """Each week's ratings, the polls sent that week (closed: answered or not, no longer
        told apart) and their tallies by department."""
        draw, people, home = self.rng.random, self.shape.people, self.home
        for label, start, span, n in self.weeks(self.shape.ratings):
            rated = [_pick(draw, self.internal_cum) for _ in range(n)]
            ratings, polls = [], []
            sent: Counter[int] = Counter(rated)
            answered = Counter(rated)
            for d in rated:
                person = _below(draw, people)
                while home[person] == d:
                    person = _below(draw, people)
                rater = "unknown" if draw() < 0.01 else self.slugs[home[person]]
                score = 1 + _pick(draw, self.scores_cum[d])
                comment, felt, polarity, language = None, None, None, None
                if draw() < 0.4:
                    felt, polarity = _sentiment(draw, score)
                    comment = _one(draw, _SAID[felt])
                    language = "de" if felt == "unsupported_language" else "en"
                ratings.append(
                    (self._uuid(), self.ids[d], rater, score, comment, felt, polarity, language,
                     label)
                )  # fmt: skip
                polls.append(self._poll(person, d, start, span))
            for d in rated[: n // 10]:
                polls.append(self._poll(_below(draw, people), d, start, span))
                sent[d] += 1
            tallies = [(self.ids[d], label, sent[d], answered[d]) for d in sorted(sent)]
            yield ratings, polls, tallies

    def _poll(self, person: int, d: int, start: datetime, span: int) -> Row:
        draw = self.rng.random
        number = next(self.numbers)
        sent = start + timedelta(seconds=_below(draw, span))
        trigger = _one(draw, _TRIGGERS)
        return (
            self._uuid(), user_id(person), self.ids[d], trigger, f"{trigger}:{number}",
            "Laptop replaced", None, "closed", None, f"D{person:08d}",
            f"{int(sent.timestamp())}.{number % 1_000_000:06d}", sent - timedelta(seconds=5),
            sent, None, None, 0, None,
        )  # fmt: skip

    def reviews(self) -> Iterator[list[Row]]:
        """Each week's reviews, about 2% of them routed to no department."""
        draw = self.rng.random
        for label, start, span, n in self.weeks(self.shape.reviews):
            rows = []
            for _ in range(n):
                d = _pick(draw, self.external_cum)
                number = next(self.numbers)
                routed = draw() >= 0.02
                stars = 1 + _pick(draw, self.scores_cum[d])
                english = draw() < 0.9
                felt, polarity = _sentiment(draw, stars) if english else (_FOREIGN, None)
                created = start + timedelta(seconds=_below(draw, span))
                source = _one(draw, _SOURCES)
                rows.append(
                    (source, str(number), self.ids[d] if routed else None,
                     _one(draw, _ROUTES) if routed else "fallback",
                     None if draw() < 0.03 else float(stars),
                     _one(draw, _TITLES) if draw() < 0.3 else None,
                     _one(draw, _SAID[felt]),
                     _one(draw, _NAMES) if draw() < 0.6 else None,
                     "en" if english else _one(draw, _LANGUAGES),
                     f"https://reviews.example/{source}/{number}" if draw() < 0.5 else None,
                     created, label, created + timedelta(seconds=60 + int(draw() * 3540)),
                     f"{number:064x}", felt, polarity, "en" if english else None,
                     (stars >= 4 and felt == "negative") or (stars <= 2 and felt == "positive"),
                     "sent" if stars <= 2 or felt == "negative" else "none", None)
                )  # fmt: skip
            yield rows

    def _uuid(self) -> str:
        """A random (version 4) UUID from the seeded generator, as text."""
        h = f"{self.rng.getrandbits(128):032x}"
        variant = "89ab"[int(h[16], 16) & 3]
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant}{h[17:20]}-{h[20:]}"


def _score_weights(bias: float) -> tuple[float, ...]:
    """Weights of scores 1..5: bias -1 leans to 1 and 2, +1 to 4 and 5."""
    return tuple(max(0.05, 1.0 + bias * (s - 3) * 0.45) for s in (1, 2, 3, 4, 5))


def _sentiment(draw: Callable[[], float], score: int) -> tuple[str, float | None]:
    """A label and polarity that mostly agree with the score, as TextBlob would mostly find."""
    chance = draw()
    if chance < 0.65:
        label = "positive" if score >= 4 else "negative" if score <= 2 else "neutral"
    elif chance < 0.8:
        label = _one(draw, _SCORED)
    elif chance < 0.95:
        label = "no_signal"
    else:
        label = _FOREIGN
    if label == "positive":
        return label, round(0.05 + draw() * 0.95, 3)
    if label == "negative":
        return label, round(-0.05 - draw() * 0.95, 3)
    return label, 0.0 if label == "neutral" else None


def _pick(draw: Callable[[], float], cum_weights: list[float]) -> int:
    """An index drawn with these cumulative weights, as `random.choices` draws one."""
    return bisect(cum_weights, draw() * cum_weights[-1], 0, len(cum_weights) - 1)


def _below(draw: Callable[[], float], n: int) -> int:
    """0 … n-1, uniformly, as `random.choices` draws without weights."""
    return int(draw() * n)


def _one(draw: Callable[[], float], among: tuple[str, ...]) -> str:
    return among[int(draw() * len(among))]
