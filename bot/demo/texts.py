"""What Acme's people and customers write: the banks the demo's history draws from.

Comments are picked by the tone of the score they come with (4–5 good, 3 mixed, 1–2 bad),
so that sentiment moves with the figures. Colleagues mostly write English, some Japanese,
Korean, German or French; the analyzer reads English, Japanese and Korean, and marks the rest
`unsupported_language` (until enough of them carry a score to learn from), which is
the honest answer. Two texts carry a name or an address, to show the digest scrubbing them.
"""

from collections.abc import Mapping

GOOD, MIXED, BAD = "good", "mixed", "bad"
Bank = Mapping[str, Mapping[str, tuple[str, ...]]]  # slug → tone → texts


def tone(score: float) -> str:
    return GOOD if score >= 4 else MIXED if score >= 3 else BAD


COMMENTS: Bank = {
    "it": {
        GOOD: (
            "Thanks Tom for the quick fix!",
            "VPN works again, fixed within the hour. Great job.",
            "Excellent help with the new laptop, everything just worked.",
            "Very friendly and fast, thank you.",
            "Schnelle Hilfe, danke!",
            "迅速に対応していただき、ありがとうございました。",
        ),
        MIXED: ("Fixed eventually, but I had to ask twice.", "OK, though the ticket was slow."),
        BAD: (
            "Waited three days for a simple password reset, really frustrating.",
            "Nobody answered in the channel for two days. Not good.",
            "노트북 수리가 너무 오래 걸려요. 답답합니다.",
        ),
    },
    "finance": {
        GOOD: (
            "Expense report approved the same day, great.",
            "Very helpful explanation of the new travel policy.",
            "Erstattung kam schnell, vielen Dank.",
        ),
        MIXED: ("Approved, but the form is confusing.", "Fine in the end."),
        BAD: (
            "Still no reply on my reimbursement, mail me at jan@example.com",
            "The invoice was rejected without any reason. Annoying.",
        ),
    },
    "logistics": {
        GOOD: (
            "The shipment left on time, thanks for the quick turnaround.",
            "Very helpful with an urgent customer order, great work.",
        ),
        MIXED: ("Shipped, but only after a reminder.", "Okay, the usual delays."),
        BAD: (
            "Took three days to get an answer, the customer was already angry.",
            "Wrong address on the pallet again. Bad.",
            "Slow and nobody answers the phone in the warehouse. Terrible week.",
            "Lieferung an den Kunden schon wieder verspätet.",
            "Tracking numbers missing for the whole order, poor follow-up.",
        ),
    },
    "hr": {
        GOOD: ("Onboarding of our new colleague went smoothly, great.", "Clear, friendly answers."),
        MIXED: ("Answered, but it took a week.",),
        BAD: ("My payslip question is still open after two weeks, disappointing.",),
    },
    "facilities": {
        GOOD: (
            "The broken chair was replaced the next morning, great.",
            "Perfect setup for the customer workshop.",
        ),
        MIXED: ("Fixed, but the noise lasted all day.", "Okay, took a while."),
        BAD: (
            "The heating in building B is off again, it is freezing.",
            "Third time this month the kitchen sink is blocked. Awful.",
            "Die Heizung ist schon wieder kaputt.",
        ),
    },
    "support": {
        GOOD: ("Support called the customer back immediately, excellent.", "Very helpful."),
        MIXED: ("Handled, but slowly.",),
        BAD: ("The customer was passed between three agents, a bad experience.",),
    },
    "legal": {
        GOOD: ("NDA reviewed within a day, very helpful.", "Clear advice, merci beaucoup !"),
        MIXED: ("Useful, but long.",),
        BAD: ("The contract review took far too long, frustrating.",),
    },
    "sales": {
        GOOD: ("Clear quote for the customer, great teamwork.", "Helpful and quick."),
        MIXED: ("Fine.",),
        BAD: ("The offer had the wrong prices, a bad mistake.",),
    },
}

# Customer reviews: (language, text). Only customer-facing departments get them.
REVIEWS: Mapping[str, Mapping[str, tuple[tuple[str, str], ...]]] = {
    "logistics": {
        GOOD: (
            ("en", "Fast delivery and the parcel was well packed. Great!"),
            ("de", "Schnelle Lieferung, alles bestens."),
            ("fr", "Livraison rapide, colis en parfait état."),
            ("es", "Entrega rápida y sin problemas."),
            ("ja", "配送がとても早くて、梱包も丁寧でした。"),
            ("ko", "배송이 빠르고 포장도 꼼꼼했어요."),
        ),
        MIXED: (
            ("en", "The delivery was a day late, but the parcel was fine."),
            ("de", "Paket kam an, aber einen Tag später als versprochen."),
        ),
        BAD: (
            ("en", "The parcel arrived a week late and the box was damaged. Terrible."),
            ("en", "Awful delivery, nobody could tell me where my parcel was."),
            ("en", "Courier left the parcel in the rain, everything wet. Very disappointed."),
            ("de", "Die Lieferung kam viel zu spät."),
            ("fr", "Livraison en retard, colis abîmé."),
            ("es", "La entrega llegó tarde y nadie respondió."),
            ("ja", "届くのが一週間も遅れ、問い合わせにも返事がありませんでした。"),
            ("ko", "배송이 너무 늦고 문의해도 답이 없어요."),
        ),
    },
    "support": {
        GOOD: (
            ("en", "The support agent was friendly and solved my problem quickly."),
            ("en", "Great hotline, short waiting time, helpful people."),
            ("de", "Der Kundenservice war sehr freundlich."),
            ("fr", "Le service client a été très efficace."),
        ),
        MIXED: (("en", "Support answered, but I had to explain everything twice."),),
        BAD: (
            ("en", "I waited 40 minutes on the hotline, awful."),
            ("en", "The support chat closed before anyone answered. Useless."),
            ("es", "La atención al cliente fue lenta."),
        ),
    },
    "finance": {
        GOOD: (
            ("en", "The refund arrived within two days, excellent."),
            ("fr", "Remboursement rapide, merci."),
        ),
        MIXED: (("en", "The invoice was correct, the payment page a bit confusing."),),
        BAD: (
            ("en", "Charged twice and the refund took a month. Bad."),
            ("de", "Die Rechnung war falsch."),
        ),
    },
    "sales": {
        GOOD: (
            ("en", "Clear quote and a friendly sales call, great."),
            ("de", "Das Angebot war klar und fair."),
            ("es", "El presupuesto fue claro y rápido."),
        ),
        MIXED: (("en", "The quote was fine but took a while."),),
        BAD: (("en", "The quote was much higher than the website said. Disappointed."),),
    },
    "it": {
        GOOD: (("en", "Resetting my password on the customer portal was easy. Nice."),),
        MIXED: (("en", "Password reset worked on the second try."),),
        BAD: (("en", "The password reset email never arrived, frustrating."),),
    },
}
