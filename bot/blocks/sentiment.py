"""What an admin's App Home says of sentiment in each language: which the shipped analyzer reads,
and what was learned from the company's own scored texts in the others."""

from collections.abc import Sequence

from bot.blocks import Block, context, divider, section
from bot.sentiment.language import language_name
from models.sentiment import LearnedModel


def sentiment_blocks(
    learned: Sequence[LearnedModel], *, shipped: Sequence[str], min_texts: int
) -> list[Block]:
    lines = [f"{_named(code)} read by the shipped analyzer" for code in shipped]
    lines += [learned_line(row) for row in learned]
    return [
        divider(),
        section("*Sentiment by language*\n" + "\n".join(lines)),
        context(
            f"Any other language is learned once {min_texts} comments and reviews in it carry"
            " a score or stars, and learned again each week; until then its texts are stored"
            " without a sentiment."
        ),
    ]


def learned_line(row: LearnedModel) -> str:
    """One language's state, the same words in App Home and `quality-bot eval-sentiment`."""
    if row.trained_at is None:
        return f"{_named(row.language)} being learned now"
    figures = f"{row.texts:,} scored texts, cross-validated accuracy {row.accuracy or 0:.2f}"
    if row.builtin is not None:
        figures += f" (shipped analyzer {row.builtin:.2f})"
    verdict = "learned and used" if row.in_use else f"not used: {row.reason}"
    return f"{_named(row.language)} {verdict} · {figures} · {row.trained_at:%Y-%m-%d}"


def _named(code: str) -> str:
    return f"{language_name(code)} (`{code}`)"
