"""The one rule for what a figure may show, which every surface goes through: the digest, the
managers' DMs, the report, App Home, the export, the chart, and the week's close that stores
small rater groups generalised.

k (`privacy.min_group_size`) counts people. A stored group of ratings counts people because
each person gives at most one rating per rated department and week (models/survey.py's
AnswerMark); a figure over several weeks adds up only weeks that met k on their own.

- A figure drawn from fewer than k people is not shown: a group's count and average, and
  every figure inside a shown group too (its tone needs k scored comments, its response rate
  k people asked, a review average k rated reviews).
- No subtraction: where a total is shown with some of its parts, the hidden rest is either
  empty or drawn from at least k people; otherwise the smallest shown parts are hidden too.
- A quote is one person's words: a group's comments are quoted only when the people who
  answered without signing are k or more. Those who signed a follow-up are known by name, and
  must not narrow down who wrote an unsigned comment.
"""

from collections.abc import Hashable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def enough(people: int | None, k: int) -> bool:
    """Whether a figure drawn from `people` people may be shown."""
    return people is not None and people >= k


def figure(value: V | None, people: int | None, k: int) -> V | None:
    """`value`, or None when it is drawn from fewer than k people."""
    return value if enough(people, k) else None


def quotable(answered: int, signed: int, k: int) -> bool:
    """Whether the comments of a group of `answered` people, `signed` of whom put their name
    to their answer, may be quoted."""
    return enough(answered - signed, k)


def shown_parts(parts: Mapping[K, int], k: int, *, hidden: int = 0) -> frozenset[K]:
    """The parts of a total that may be shown beside it.

    `parts` maps each part that could be named to how many people it holds; `hidden` counts
    people in the total who are never named (raters of no department). The total is their sum;
    when it is under k nothing is shown. A part under k is hidden; while the hidden rest would
    hold 1 to k-1 people, the smallest shown part (then the next) joins it, so that the rest
    never stands for one or two people whom the shown parts leave identifiable.
    """
    total = hidden + sum(parts.values())
    if total < k:
        return frozenset()
    named = {part for part, people in parts.items() if people >= k}
    rest = total - sum(parts[part] for part in named)
    # Smallest first; the repr breaks ties so that the same data always hides the same parts.
    for part in sorted(named, key=lambda p: (parts[p], repr(p))):
        if not 0 < rest < k:
            break
        named.discard(part)
        rest += parts[part]
    return frozenset(named)
