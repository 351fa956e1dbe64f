"""Korean: a character n-gram model (ngram.py) learnt from NSMC, 200,000 Naver movie reviews.

Korean glues endings to stems (좋았어요, 좋네요, 안 좋아요) and spaces words loosely, so a
lexicon of words would need a morphological analyser; n-grams of two and three syllables catch
the same endings without one. It was learnt from movie reviews, not workplace feedback: how
it does on the latter is in bot/sentiment/models/README.md, with how the model was made.
"""

from functools import cached_property
from importlib.resources import files

from bot.sentiment.model import Sentiment
from bot.sentiment.ngram import NgramModel

MODEL = "ko.ngram"  # in bot/sentiment/models/, written by `python -m bot.sentiment.train korean`


class KoreanBackend:
    language = "ko"

    @cached_property
    def model(self) -> NgramModel:
        # Loaded on first use: the scoring workers import every backend.
        return NgramModel.from_bytes(files("bot.sentiment").joinpath("models", MODEL).read_bytes())

    def score(self, text: str) -> Sentiment:
        return self.model.score(text)

    def knows_every_word(self, text: str) -> bool:
        """Never: the model has no words, only n-grams, so a short text is left to the language
        detector rather than claimed as Korean."""
        return False
