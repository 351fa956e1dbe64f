"""Sentiment learned from the company's own scored texts: which stored texts teach a language,
when each language is trained again, and what the App Home and `eval-sentiment` show of it.
The training itself is bot/sentiment/learning.py, in a worker process.

May use: `bot.runtime`, `bot.sentiment`, the time helpers, and the survey, review and
sentiment models.
"""

from bot.learning.service import SentimentLearning, language_status

__all__ = ["SentimentLearning", "language_status"]
