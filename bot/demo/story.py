"""Acme's last eight weeks, in figures: what the seeded history is drawn to show a manager.

- IT is steady around 4.2 and slowly getting better.
- Finance is fine, week after week.
- Logistics slides for the last four weeks, inside and outside together: colleagues rate it
  lower *and* customers' stars fall, the pattern the digest calls "falling together".
- HR is asked rarely; in some weeks fewer than 3 people answer and its figures are withheld.
- Facilities is so-so until the demo week, when the heating breaks and it dips under 3.
- Customer Support is measured mostly by its customers' reviews.
- Legal is small and Sales mostly asks others for help: both are often near the threshold.

Each tuple has eight values: the seven weeks of history, oldest first, then what was already
stored of the demo week before the demo plays the rest of it through the real app.
"""

from collections.abc import Mapping
from dataclasses import dataclass

WEEKS = 8  # seven of history and the demo week
NO_REVIEWS = (0,) * WEEKS


@dataclass(frozen=True)
class Trend:
    responses: tuple[int, ...]  # answered polls (ratings) a week
    average: tuple[float, ...]  # the score they average to
    reviews: tuple[int, ...] = NO_REVIEWS  # customer reviews a week
    stars: tuple[float, ...] = (4.0,) * WEEKS  # their average rating
    expired: float = 0.2  # polls that closed unanswered, per answered one


STORY: Mapping[str, Trend] = {
    "it": Trend(
        responses=(10, 11, 9, 12, 10, 11, 12, 8),
        average=(3.9, 3.9, 4.0, 4.1, 4.1, 4.2, 4.3, 4.4),
        reviews=(1, 0, 2, 1, 1, 0, 2, 1),
        stars=(4.0, 4.0, 3.5, 4.0, 4.0, 4.0, 4.5, 5.0),
        expired=0.1,
    ),
    "finance": Trend(
        responses=(7, 6, 8, 7, 6, 7, 8, 5),
        average=(4.0, 4.2, 3.9, 4.0, 4.2, 4.0, 4.1, 4.0),
        reviews=(3, 2, 3, 4, 2, 3, 3, 2),
        stars=(4.0, 4.0, 3.7, 4.0, 4.5, 3.7, 4.0, 4.0),
    ),
    "logistics": Trend(
        responses=(8, 7, 8, 9, 8, 7, 8, 5),
        average=(4.0, 4.1, 3.9, 4.0, 3.6, 3.3, 3.0, 2.8),
        reviews=(12, 11, 13, 12, 12, 14, 15, 10),
        stars=(4.1, 4.0, 4.1, 3.9, 3.5, 3.1, 2.7, 2.5),
        expired=0.35,
    ),
    "hr": Trend(
        responses=(3, 2, 4, 2, 3, 3, 2, 2),
        average=(3.7, 4.0, 3.8, 3.5, 3.7, 4.0, 3.5, 3.5),
    ),
    "facilities": Trend(
        responses=(6, 5, 6, 7, 5, 6, 6, 4),
        average=(3.8, 3.6, 3.8, 3.6, 3.8, 3.5, 3.5, 2.8),
        expired=0.3,
    ),
    "support": Trend(
        responses=(2, 3, 1, 2, 3, 2, 2, 2),
        average=(4.0, 4.0, 4.0, 4.5, 4.0, 4.0, 4.5, 4.0),
        reviews=(14, 15, 13, 16, 15, 14, 16, 10),
        stars=(3.6, 3.7, 3.7, 3.8, 3.8, 3.9, 3.9, 4.0),
    ),
    "legal": Trend(
        responses=(3, 1, 2, 3, 2, 1, 3, 3),
        average=(4.3, 4.0, 4.0, 4.3, 4.5, 4.0, 4.0, 4.3),
    ),
    "sales": Trend(
        responses=(4, 3, 5, 4, 3, 4, 5, 3),
        average=(4.0, 3.7, 4.0, 3.8, 4.0, 3.8, 4.0, 4.0),
        reviews=(3, 2, 2, 3, 4, 2, 3, 2),
        stars=(4.3, 4.0, 4.0, 4.3, 4.0, 4.0, 4.3, 4.0),
    ),
}

# Who asks a department for help most (the rest ask now and then): this is what fills the
# digest's rater × rated matrix with pairs large enough to be shown.
MAIN_CUSTOMERS: Mapping[str, tuple[str, ...]] = {
    "it": ("sales", "support"),
    "finance": ("sales", "logistics"),
    "logistics": ("sales", "support"),
    "support": ("sales",),
    "legal": ("sales", "hr"),
    "sales": ("support", "finance"),
}
MAIN_WEIGHT = 5

# Where a review comes from, and the prefix of its id there.
SOURCES: Mapping[str, str] = {"trustpilot": "tp", "google": "g", "appstore": "as"}
