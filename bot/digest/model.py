"""A computed week: plain frozen values that the text, Block Kit and chart renderers share.

Every figure of a group smaller than `privacy.min_group_size` is None and the group is marked
`suppressed`, and so is every figure inside a shown group that is drawn from fewer people
(bot/privacy/suppression.py): nothing downstream has to remember to hide it.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal


@dataclass(frozen=True)
class Internal:
    """What colleagues answered about a department in one week."""

    responses: int | None
    average: float | None
    previous_average: float | None
    sentiment: float | None  # mean polarity of the comments that carried a signal
    suppressed: bool
    # Not in the digest's public JSON; shown in Slack and the text rendering.
    polls_sent: int | None = None
    polls_answered: int | None = None
    negative_share: float | None = None  # share of signed comments that were negative
    previous_negative_share: float | None = None

    @property
    def response_rate(self) -> float | None:
        if not self.polls_sent or self.polls_answered is None:
            return None
        return self.polls_answered / self.polls_sent


@dataclass(frozen=True)
class External:
    """What customers wrote about a department in one week."""

    reviews: int | None
    average_rating: float | None
    previous_average_rating: float | None
    sentiment: float | None
    suppressed: bool
    negative_share: float | None = None
    previous_negative_share: float | None = None


@dataclass(frozen=True)
class Quote:
    """A comment or review, scrubbed of names, mentions, emails and phone numbers. It never
    carries the score given with it: a quote may tell who wrote it, and its score then with it."""

    kind: Literal["comment", "review"]
    department: str  # slug
    text: str
    polarity: float
    source: str | None = None  # a review's source, e.g. "trustpilot"


@dataclass(frozen=True)
class TrendPoint:
    """One week of the eight-week trend; None where the group was below the threshold."""

    week: str
    internal: float | None
    external: float | None


@dataclass(frozen=True)
class Standard:
    """A department's standard, and whether the week's average met its target."""

    promise: str | None
    target: float | None
    resolve_within_hours: float | None
    target_met: bool | None  # None: no target, or no average shown this week

    def to_json(self) -> dict[str, Any]:
        return {
            "promise": self.promise,
            "target": self.target,
            "resolve_within_hours": self.resolve_within_hours,
            "target_met": self.target_met,
        }


@dataclass(frozen=True)
class Resolution:
    """How long a department took from a request to its resolution: the median and the 90th
    percentile, in hours, over requests resolved in the period. Hidden under k requests."""

    requests: int | None
    median_hours: float | None
    p90_hours: float | None
    suppressed: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "median_hours": self.median_hours,
            "p90_hours": self.p90_hours,
            "suppressed": self.suppressed,
        }


HIDDEN_RESOLUTION = Resolution(None, None, None, suppressed=True)


@dataclass(frozen=True)
class Picked:
    """A reason shown: how many people picked it, of how many scores of its band (over
    several weeks, of the band's scores in the weeks it was shown)."""

    reason: str
    people: int
    of: int


@dataclass(frozen=True)
class BandReasons:
    """A band's scores (low: 1–2, high: 4–5) and the reasons shown with them, most picked
    first. `scores` None: the band is not shown."""

    scores: int | None
    picked: tuple[Picked, ...] = ()


@dataclass(frozen=True)
class Reasons:
    """The reasons picked with a department's low and high scores (bot/digest/reasons.py)."""

    low: BandReasons
    high: BandReasons

    def to_json(self) -> dict[str, Any]:
        return {
            band: {"scores": found.scores, "picked": {p.reason: p.people for p in found.picked}}
            for band, found in (("low", self.low), ("high", self.high))
        }


HIDDEN_REASONS = Reasons(BandReasons(None), BandReasons(None))


@dataclass(frozen=True)
class ActionItem:
    """An action open at the end of the week; overdue when it was due by then."""

    id: int
    what: str
    owner: str | None
    due: date
    overdue: bool


@dataclass(frozen=True)
class Measured:
    """Colleagues' figures over some weeks, from the weeks that reached k (bot/digest/measure.py):
    `responses` None when none did ("not enough answers yet")."""

    weeks: int
    responses: int | None
    average: float | None
    top_low_reason: Picked | None

    def to_json(self) -> dict[str, Any]:
        top = self.top_low_reason
        return {
            "weeks": self.weeks,
            "responses": self.responses,
            "average": self.average,
            "top_low_reason": top.reason if top else None,
        }


@dataclass(frozen=True)
class DoneAction:
    """An action done, and the figures before it and since (measure again)."""

    id: int
    what: str
    done_week: str
    before: Measured
    since: Measured


@dataclass(frozen=True)
class Cases:
    """Signed follow-ups posted in the week as cases: how many, the median hours to claim and
    to resolve them (by now), and the share resolved; all None under k cases."""

    cases: int | None = None
    claim_median_hours: float | None = None
    resolve_median_hours: float | None = None
    resolved_share: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "claim_median_hours": self.claim_median_hours,
            "resolve_median_hours": self.resolve_median_hours,
            "resolved_share": self.resolved_share,
        }


NO_CASES = Cases()


@dataclass(frozen=True)
class Actions:
    """A department's actions as they stood at the end of the week (bot/actions/): those
    open, and those done lately with their figures before and since."""

    open: tuple[ActionItem, ...] = ()
    done: tuple[DoneAction, ...] = ()
    cases: Cases = NO_CASES

    @property
    def overdue(self) -> int:
        return sum(1 for a in self.open if a.overdue)

    def to_json(self) -> dict[str, Any]:
        return {
            "open": len(self.open),
            "overdue": self.overdue,
            "items": [
                {"id": a.id, "what": a.what, "owner": a.owner, "due": a.due.isoformat(),
                 "overdue": a.overdue}
                for a in self.open
            ],
            "done": [
                {"id": d.id, "what": d.what, "done_week": d.done_week,
                 "before": d.before.to_json(), "since": d.since.to_json()}
                for d in self.done
            ],
            "cases": self.cases.to_json(),
        }  # fmt: skip


NO_ACTIONS = Actions()


@dataclass(frozen=True)
class DepartmentWeek:
    slug: str
    name: str
    internal: Internal
    external: External
    attention: tuple[str, ...] = ()
    # Quotable only when the group met the threshold; most positive or most negative first.
    praise: tuple[Quote, ...] = ()
    concerns: tuple[Quote, ...] = ()
    trend: tuple[TrendPoint, ...] = ()
    managers: tuple[str, ...] = ()
    # How weekly internal and external averages moved together over the trend (Pearson r),
    # when there were enough weeks with both to say.
    correlation: float | None = None
    standard: Standard | None = None
    resolution: Resolution = HIDDEN_RESOLUTION
    reasons: Reasons = HIDDEN_REASONS
    thanked: int | None = None  # people who thanked it this week; None under k (not in JSON)
    actions: Actions = NO_ACTIONS

    def to_json(self) -> dict[str, Any]:
        i, e = self.internal, self.external
        return {
            "slug": self.slug,
            "name": self.name,
            "internal": {
                "responses": i.responses,
                "average": i.average,
                "previous_average": i.previous_average,
                "sentiment": i.sentiment,
                "suppressed": i.suppressed,
            },
            "external": {
                "reviews": e.reviews,
                "average_rating": e.average_rating,
                "previous_average_rating": e.previous_average_rating,
                "sentiment": e.sentiment,
                "suppressed": e.suppressed,
            },
            "attention": list(self.attention),
            "standard": self.standard.to_json() if self.standard else None,
            "resolution": self.resolution.to_json(),
            "reasons": self.reasons.to_json(),
            "actions": self.actions.to_json(),
        }


@dataclass(frozen=True)
class MatrixCell:
    """Ratings given by one department's people to another department."""

    rater: str  # slug
    rated: str  # slug
    responses: int
    average: float
    # For a weak link, the reason most picked with its low scores (not in the public JSON).
    top_reason: Picked | None = None


@dataclass(frozen=True)
class WeekDigest:
    week: str
    start: date
    end: date
    timezone: str
    min_group_size: int
    departments: tuple[DepartmentWeek, ...]
    matrix: tuple[MatrixCell, ...] = ()
    weeks: tuple[str, ...] = field(default=())  # the trend's weeks, oldest first

    def to_json(self) -> dict[str, Any]:
        """The digest's public JSON, key for key (docs/digest.md, "The digest as JSON")."""
        return {
            "week": self.week,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "timezone": self.timezone,
            "departments": [d.to_json() for d in self.departments],
            "matrix": [
                {"from": c.rater, "to": c.rated, "responses": c.responses, "average": c.average}
                for c in self.matrix
            ],
        }

    def department(self, slug: str) -> DepartmentWeek | None:
        return next((d for d in self.departments if d.slug == slug), None)
