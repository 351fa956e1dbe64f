"""Where service breaks down, and what went well: how many of a department's low (1–2) and
high (4–5) scores came with each reason its people picked (bot/surveys/reasons.py).

k counts people, and each person gives one rating of a department a week, so a week's counts
are people. A band's count is shown only beside the week's total under the no-subtraction
rule (the 3s are the part never named); a reason's count only when at least k people picked
it and the band's people who did not are none or at least k. A figure over several weeks
adds up only what each week showed on its own (`pooled`).
"""

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence

from bot.config import HIGH, LOW
from bot.digest.model import HIDDEN_REASONS, BandReasons, Picked, Reasons
from bot.privacy.suppression import enough, shown_parts
from bot.surveys.reasons import band
from models.survey import Rating

Picks = list[tuple[int, Sequence[str] | None]]  # (score, reasons) of each low or high rating
WEAK_LINK = 3.0  # a matrix cell averaging under this is a weak link


async def low_picks_by_rater(week: str) -> dict[tuple[int, str], Picks]:
    """Each (department id, rater department)'s low scores in the week, with their reasons."""
    found: dict[tuple[int, str], Picks] = defaultdict(list)
    rows = await Rating.filter(week=week, score__lte=2).values(
        "department_id", "rater_department", "score", "reasons"
    )
    for row in rows:
        found[(row["department_id"], row["rater_department"])].append(
            (row["score"], row["reasons"])
        )
    return found


async def picks(
    weeks: Collection[str], department_ids: Collection[int] | None = None
) -> dict[tuple[int, str], Picks]:
    """Each department's (or those of `department_ids`) low and high scores with their
    reasons, by (department id, week)."""
    query = Rating.filter(week__in=list(weeks), score__not=3)
    if department_ids is not None:
        query = query.filter(department_id__in=list(department_ids))
    found: dict[tuple[int, str], Picks] = defaultdict(list)
    for row in await query.values("department_id", "week", "score", "reasons"):
        found[(row["department_id"], row["week"])].append((row["score"], row["reasons"]))
    return found


def reasons(rows: Picks, responses: int | None, k: int) -> Reasons:
    """One department's week: `rows` its low and high scores, `responses` all its ratings."""
    if not enough(responses, k):
        return HIDDEN_REASONS
    assert responses is not None
    scores = Counter(band(score) for score, _ in rows)
    shown = shown_parts({LOW: scores[LOW], HIGH: scores[HIGH]}, k, hidden=responses - len(rows))
    found: dict[str, BandReasons] = {}
    for which in (LOW, HIGH):
        if which not in shown:
            found[which] = BandReasons(None, ())
            continue
        people = scores[which]
        counted = Counter(
            reason for score, picked in rows if band(score) == which for reason in set(picked or ())
        )
        found[which] = BandReasons(
            people,
            tuple(
                Picked(reason, n, people)
                for reason, n in sorted(counted.items(), key=lambda item: (-item[1], item[0]))
                if n >= k and not 0 < people - n < k
            ),
        )
    return Reasons(found[LOW], found[HIGH])


def weak_link_reason(cell: Picks, responses: int, department: Picks, k: int) -> Picked | None:
    """The reason most picked with a weak link's low scores (`cell`: the low scores one rater
    department gave, of its `responses`; `department`: every low and high score of the rated
    department that week), or None. Shown only when it is k people, and the people left
    beside it — in the cell's low scores, the cell's other ratings, the department's other low
    scores, and the department's others who picked it — are each none or k or more: nothing
    of it can be worked out by subtracting it from the department's own counts."""
    low = [picked or () for score, picked in cell if band(score) == LOW]
    all_low = [picked or () for score, picked in department if band(score) == LOW]
    if not (_apart(len(low), responses, k) and _apart(len(low), len(all_low), k)):
        return None
    counted = Counter(reason for picked in low for reason in set(picked))
    if not counted:
        return None
    reason, people = min(counted.items(), key=lambda item: (-item[1], item[0]))
    everyone = sum(reason in picked for picked in all_low)
    if _apart(people, len(low), k) and _apart(people, everyone, k):
        return Picked(reason, people, len(low))
    return None


def _apart(part: int, whole: int, k: int) -> bool:
    """Whether `part` people may be shown beside a `whole` that holds them."""
    return part >= k and not 0 < whole - part < k


def pooled(weekly: Iterable[Reasons]) -> Reasons:
    """Several weeks' reasons: the sums of what each week showed (so never less private). A
    reason counts against the band's scores of the weeks it was shown in only."""
    weeks = list(weekly)

    def total(which: str) -> BandReasons:
        bands = [getattr(week, which) for week in weeks]
        shown = [b for b in bands if b.scores is not None]
        if not shown:
            return BandReasons(None, ())
        people: Counter[str] = Counter()
        of: Counter[str] = Counter()
        for b in shown:
            for p in b.picked:
                people[p.reason] += p.people
                of[p.reason] += p.of
        ordered = sorted(people, key=lambda reason: (-people[reason], reason))
        picked = tuple(Picked(reason, people[reason], of[reason]) for reason in ordered)
        return BandReasons(sum(b.scores or 0 for b in shown), picked)

    return Reasons(total(LOW), total(HIGH))
