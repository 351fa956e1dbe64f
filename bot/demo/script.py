"""What happens at Acme in the demo week, as events: the requests served in Slack, the ones
the service desk tool reports, how each person answers, and the reviews customers write."""

from dataclasses import dataclass
from typing import Any

from bot.demo.clock import DemoClock


@dataclass(frozen=True)
class Served:
    """A request in a service channel that a member of the department marks ✅."""

    channel: str
    author: str  # who asked, and is then asked for a rating
    helper: str  # who served them and reacted
    text: str  # as typed: Slack escapes it and turns @U…, #C…, links into its markup
    day: int  # 0 is Monday
    hour: int
    score: int | None = None  # their answer; None: not answered yet
    comment: str | None = None
    files: tuple[str, ...] = ()  # posted with files (a screenshot): a `file_share` message
    thread: str | None = None  # a reply in the helper's thread that starts with this text …
    broadcast: bool = False  # … and also sent to the channel (`thread_broadcast`)
    signed: bool = False  # "may contact me": the comment goes to the department as a case


@dataclass(frozen=True)
class Reported:
    """A served request the service desk tool reports on /webhooks/interactions."""

    id: str
    department: str
    requester: str
    by_email: bool  # the tool knows the requester's e-mail address, not their Slack id
    summary: str
    score: int | None = None
    comment: str | None = None


SAM = "U0EMP0001"

SERVED: tuple[Served, ...] = (
    Served("C0ITHELP1", "U0FIN0002", "U0IT00003",
           "Outlook keeps asking for my password since this morning :sweat_smile: "
           "screenshot attached", 0, 9,
           5, "Sorted in ten minutes, great help!", files=("outlook-password-prompt.png",)),
    Served("C0ITHELP1", "U0LOG0003", "U0IT00004",
           "@U0IT00004 the scanner in warehouse 2 can't reach the wifi <again> & labels "
           "won't print", 1, 14, 4),
    Served("C0ITHELP1", "U0CS00002", "U0IT00005",
           "Our new agent needs access too, as in https://wiki.acme.example/it/access?team=cs&role=agent",
           3, 11, thread="Ticket system access requests: reply in this thread :thread:"),
    Served("C0FINHELP", "U0SAL0003", "U0FIN0003",
           "My travel expenses from the Lyon trip are still pending (> 3 weeks) :hourglass:",
           0, 11, 4, "Paid the same day, thank you!"),
    Served("C0FINHELP", "U0CS00003", "U0FIN0004",
           "A customer needs a copy of invoice 2025-118, can you mail it to "
           "billing@customer.example?",
           2, 10, 5),
    Served("C0LOGHELP", "U0SAL0004", "U0LOG0004",
           "Order 4471 still has no tracking number, the customer is asking daily!!", 1, 9,
           2, "Took three days and the customer called me twice. Frustrating."),
    Served("C0LOGHELP", "U0CS00004", "U0LOG0005",
           "Same here: a customer says the parcel went to the wrong address. @channel please "
           "check before the truck leaves", 2, 15, 2,
           thread="Truck to Lyon leaves at 4 pm, anything else to load?", broadcast=True),
    Served("C0LOGHELP", "U0SAL0005", "U0LOG0006",
           "Can we still ship the sample to Lyon this week?", 3, 16, 3),
    Served("C0FACHELP", "U0LEG0002", "U0FAC0003",
           "The heating in meeting room B2 is off again :cold_face: (see #C0FACHELP yesterday)",
           2, 8, 1, "Third time this month, and it is freezing in B2. Awful.", signed=True),
    Served("C0FACHELP", "U0IT00006", "U0FAC0002", "My desk chair is broken.", 3, 13, 3),
    Served("C0HRHELP1", "U0LOG0007", "U0HR00002",
           "Where do I find the form for parental leave?", 4, 9),
    Served("C0CSDESK1", "U0SAL0006", "U0CS00005",
           "Can someone call back the customer from ticket 8812 today? <urgent>", 1, 10, 5),
)  # fmt: skip

REPORTED: tuple[Reported, ...] = (
    Reported("JIRA-4711", "it", "U0HR00004", True, "Laptop replaced", 5),
    Reported("JIRA-4712", "facilities", "U0CS00006", False, "Desk moved to the third floor", 2),
    Reported("JIRA-4713", "finance", "U0FAC0004", True, "Travel advance paid"),
)

# The people asked for a rating this week: seeded polls leave their budget alone.
ASKED: frozenset[str] = frozenset(
    {SAM} | {s.author for s in SERVED} | {r.requester for r in REPORTED}
)


def reviews(clock: DemoClock) -> list[dict[str, Any]]:
    """This week's reviews, in four languages, as the review platforms send them."""

    def written(day: int, hour: int) -> str:
        return clock.at(day, hour).isoformat().replace("+00:00", "Z")

    return [
        {"id": "tp-3101", "source": "trustpilot", "rating": 1, "created_at": written(0, 19),
         "text": "Third delivery in a row that came late, and the courier left the parcel "
                 "in the rain."},
        {"id": "g-3102", "source": "google", "rating": 2, "created_at": written(1, 8),
         "text": "Das Paket kam fünf Tage zu spät und die Lieferung war beschädigt."},
        {"id": "tp-3103", "source": "trustpilot", "rating": 2, "created_at": written(1, 20),
         "text": "Livraison en retard et colis abîmé. Très déçu."},
        {"id": "g-3104", "source": "google", "rating": 2, "created_at": written(2, 12),
         "text": "La entrega llegó tarde otra vez y nadie contesta."},
        {"id": "tp-3105", "source": "trustpilot", "rating": 5, "created_at": written(2, 9),
         "text": "The support agent solved my problem in five minutes. Great hotline!"},
        {"id": "g-3106", "source": "google", "rating": 5, "created_at": written(3, 17),
         "text": "Der Kundenservice war freundlich und schnell."},
        {"id": "tp-3107", "source": "trustpilot", "rating": 4, "created_at": written(3, 11),
         "text": "Le service client a répondu rapidement, merci !"},
        {"id": "as-3108", "source": "appstore", "rating": 2, "created_at": written(4, 8),
         "text": "La atención al cliente fue lenta, esperé una hora."},
        {"id": "tp-3109", "source": "trustpilot", "rating": 5, "created_at": written(0, 13),
         "text": "My refund arrived within two days, excellent service."},
        {"id": "g-3110", "source": "google", "rating": 4, "created_at": written(2, 18),
         "title": "Easy to order", "text": "Nice website and a clear checkout."},
    ]  # fmt: skip
