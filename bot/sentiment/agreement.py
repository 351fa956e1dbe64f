"""When a star rating and its words say opposite things (5 stars and "awful"), a manager
should see it rather than trust either alone."""

from bot.sentiment.model import Sentiment

# A rating counts as clearly good or bad only at the ends of the 1–5 scale, and the text
# only when it leans clearly and the analyzer is reasonably sure of it.
GOOD_RATING = 4.0
BAD_RATING = 2.0
CLEAR_POLARITY = 0.3
ENOUGH_CONFIDENCE = 0.5


def rating_disagrees(rating: float | None, sentiment: Sentiment) -> bool:
    if rating is None or sentiment.polarity is None or sentiment.confidence < ENOUGH_CONFIDENCE:
        return False
    if rating >= GOOD_RATING:
        return sentiment.polarity <= -CLEAR_POLARITY
    if rating <= BAD_RATING:
        return sentiment.polarity >= CLEAR_POLARITY
    return False
