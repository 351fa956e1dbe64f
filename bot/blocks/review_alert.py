"""A negative review as its department's alert channel sees it, and the summary of a burst."""

from collections.abc import Sequence

from bot.blocks import Block, context, escape, section
from models.review import Review

SNIPPET = 280


def stars(rating: float | None) -> str:
    if rating is None:
        return "no rating"
    full = max(0, min(5, round(rating)))
    return "★" * full + "☆" * (5 - full) + f" {rating:g}/5"


def _snippet(review: Review) -> str:
    text = " ".join((review.text or "").split())
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"


def alert_message(review: Review) -> tuple[str, list[Block]]:
    dept = review.department.name if review.department else "unassigned"
    headline = f"{stars(review.rating)} · {review.source} · {dept}"
    title = f"*{escape(review.title)}*\n" if review.title else ""
    quote = f">{escape(_snippet(review))}" if review.text else ""
    link = f"\n<{review.url}|Open the review>" if review.url else ""
    notes = [f"sentiment: {review.sentiment_label}", f"routed by {review.routed_by}"]
    if review.disagrees:
        notes.append("the stars and the words disagree")
    if review.author:
        notes.append(f"by {escape(review.author)}")
    text = f"Negative review for {dept}: {stars(review.rating)} from {review.source}"
    return text, [
        section(f"*{escape(headline)}*\n{title}{quote}{link}"),
        context(" · ".join(notes)),
    ]


def burst_summary(reviews: Sequence[Review]) -> tuple[str, list[Block]]:
    dept = reviews[0].department.name if reviews[0].department else "unassigned"
    rated = [r.rating for r in reviews if r.rating is not None]
    average = f", average {sum(rated) / len(rated):.1f}/5" if rated else ""
    sources = ", ".join(sorted({r.source for r in reviews}))
    text = f"{len(reviews)} negative reviews for {dept} in a burst{average} ({sources})"
    lines = []
    for review in reviews[:10]:
        label = escape(review.title or _snippet(review)[:80] or review.external_id)
        link = f"<{review.url}|{label}>" if review.url else label
        lines.append(f"• {stars(review.rating)} {link}")
    if len(reviews) > 10:
        lines.append(f"…and {len(reviews) - 10} more")
    return text, [
        section(f"*{escape(text)}*"),
        section("\n".join(lines)),
        context("A burst is summarised so the channel is not flooded; each review is stored."),
    ]
