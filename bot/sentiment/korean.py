"""Korean: a small vocabulary of workplace and service feedback, over a character n-gram model
(ngram.py) learnt from NSMC, 200,000 Naver movie reviews.

Korean glues endings to stems (좋았어요, 좋네요, 안 좋아요) and spaces words loosely, so a
lexicon of words would need a morphological analyser; n-grams of two and three syllables catch
the same endings without one. But the model learnt movie reviews, in which a polite ending
(-습니다, -주셔서) is praise and nobody waits for a reply; how it does on workplace feedback is
in bot/sentiment/models/README.md, with how it was made.

So the stems people use in feedback (빠르, 늦, 친절, 해결, 고장, 감사, 연락이 없…) are looked
for first, as substrings of the normalised text: no analyser is needed to find a stem, only to
find its negation, which Korean puts before the verb (안 빨라요, 못 받았어요) or after it
(친절하지 않았어요, 해결이 안 됐어요). When the vocabulary finds words, their sign leads and the
model's probability makes the score stronger or weaker; when it finds none, the model alone.
"""

import math
import re
from functools import cached_property
from importlib.resources import files
from typing import NamedTuple

from bot.sentiment.model import Driver, Label, Sentiment, clipped, word_confidence
from bot.sentiment.ngram import NgramModel, normalise

MODEL = "ko.ngram"  # in bot/sentiment/models/, written by `python -m bot.sentiment.train korean`

# What a vocabulary word is worth, alone; negated it is worth NEGATED times that ("not kind" is
# milder than "rude").
# fmt: off
SERVICE: dict[str, float] = {
    # speed
    "빠르": 0.6, "빠른": 0.6, "빨라": 0.6, "빨랐": 0.6, "신속": 0.7, "금방": 0.4, "원활": 0.5,
    "늦": -0.6, "느리": -0.6, "느려": -0.6, "느린": -0.6, "느렸": -0.6, "지연": -0.6,
    "지체": -0.5, "오래 걸": -0.5, "지장": -0.4,
    # manner
    "친절": 0.6, "꼼꼼": 0.6, "세심": 0.6, "정중": 0.5, "성실": 0.5, "상냥": 0.5, "성의": 0.3,
    "불친절": -0.8, "무성의": -0.7, "무례": -0.7, "무시": -0.6, "대충": -0.5, "건성": -0.5,
    # outcome
    "해결": 0.4, "도움": 0.4, "정확": 0.4, "명확": 0.4, "깔끔": 0.5, "편리": 0.4, "완벽": 0.7,
    "훌륭": 0.7, "든든": 0.5,
    "고장": -0.6, "오류": -0.5, "에러": -0.5, "버그": -0.4, "장애": -0.4, "잘못": -0.5,
    "누락": -0.5, "실수": -0.4, "안 돼": -0.5, "안 되": -0.5, "안 됐": -0.5, "안돼": -0.5,
    "안되": -0.5, "안됐": -0.5, "엉망": -0.7, "허술": -0.5,
    # gratitude (감사 alone is also an audit: 감사팀, 회계 감사)
    "감사하": 0.8, "감사합": 0.8, "감사해": 0.8, "감사했": 0.8, "감사드": 0.8, "감사함": 0.8,
    "고맙": 0.8, "고마워": 0.8, "고마웠": 0.8, "고마운": 0.8, "덕분": 0.6, "수고": 0.4,
    # verdicts
    "최고": 0.8, "만족": 0.6, "추천": 0.5, "칭찬": 0.5,
    "최악": -0.9, "별로": -0.5, "실망": -0.7, "불만": -0.6, "불만족": -0.7, "비추": -0.7,
    "불편": -0.5, "짜증": -0.7, "답답": -0.5, "곤란": -0.4, "황당": -0.6,
    "어이없": -0.6, "화나": -0.6, "귀찮": -0.4, "안 받": -0.5,
    # not what they seem: a request (도와주시면 감사하겠습니다), 뒤늦게, 몇 안 되는 (few)
    "감사하겠": 0.0, "뒤늦": 0.0, "장애인": 0.0, "몇 안 되": 0.0, "몇안되": 0.0,
}
# What people expect to get: nothing said by its presence, a complaint by its absence
# (연락이 없습니다, 답을 못 받았어요, 처리가 안 됐어요). The value is what its absence is worth.
EXPECTED: dict[str, float] = {
    "답": -0.6, "답변": -0.6, "답장": -0.6, "회신": -0.6, "대답": -0.6, "응답": -0.6,
    "연락": -0.6, "소식": -0.5, "반응": -0.4, "피드백": -0.5, "전화": -0.5, "처리": -0.5,
    "진행": -0.4, "개선": -0.5, "변화": -0.4,
}
# fmt: on
NEGATED = -0.8
INTENSIFIED = 1.3
_INTENSIFIERS = frozenset({"너무", "정말", "진짜", "매우", "아주", "엄청", "완전", "참", "항상"})
# Stems that must begin their word: 답 is in 정답 and 아름답다, 화나 in 영화나, 버그 in 스필버그.
_WORD_START = frozenset({"답", "화나", "버그"})
# Negative already, and negated in its own way: 별로 안 좋아요 is "not very good".
_UNFLIPPED = frozenset({"별로"})
# After the last contrast (친절했지만 해결은 안 됐어요) counts this much more, before it less.
AFTER_CONTRAST, BEFORE_CONTRAST = 1.5, 0.5
_CONTRAST_WORDS = frozenset({"하지만", "그런데", "근데", "그러나", "그렇지만", "다만"})
_CONTRAST_ENDINGS = ("지만", "는데", "은데", "던데")
_PARTICLES = frozenset({"", "이", "가", "은", "는", "도", "을", "를", "에", "이나", "조차"})
_NOT = ("안", "못")  # before a verb: 안 빨라요, 못 받았어요
_NOT_AFTER = ("않", "못", "안")  # after -지: 친절하지 않았어요, 해결되지 못했어요
_THANKS = ("감사", "고마", "고맙", "덕분", "수고")  # 미리 감사합니다, 검토 부탁드립니다
_WISH = ("주세요", "주시", "부탁", "바랍", "좋겠", "했으면", "됐으면", "되었으면")
ALPHA = 0.3  # polarity = s / √(s² + ALPHA): one plain word ≈ 0.74
# How much the model's agreement or disagreement moves a vocabulary score: never its sign.
MODEL_WEIGHT = 0.25


class Hit(NamedTuple):
    start: int  # in the normalised text
    end: int  # past its last word, negation included
    value: float


class Lexicon(NamedTuple):
    stems: re.Pattern[str]  # every stem, longest first: 불친절 before 친절
    values: dict[str, tuple[float, float]]  # alone, and absent or negated


def build_lexicon() -> Lexicon:
    values = {s: (v, v if s in _UNFLIPPED else v * NEGATED) for s, v in SERVICE.items()}
    values |= {stem: (0.0, v) for stem, v in EXPECTED.items()}
    stems = sorted(values, key=lambda s: -len(s))
    return Lexicon(re.compile("|".join(map(re.escape, stems))), values)


class KoreanBackend:
    language = "ko"

    @cached_property
    def model(self) -> NgramModel:
        # Loaded on first use: the scoring workers import every backend.
        return NgramModel.from_bytes(files("bot.sentiment").joinpath("models", MODEL).read_bytes())

    @cached_property
    def _lexicon(self) -> Lexicon:
        return build_lexicon()

    def score(self, text: str) -> Sentiment:
        norm = normalise(text).strip()
        hits = _weigh_contrast(norm, self.hits(norm))
        total = sum(h.value for h in hits)
        if not hits or not total:
            return self.model.score(text)  # words pulling evenly: the model decides
        vocabulary = total / math.sqrt(total * total + ALPHA)
        sign = 1.0 if total > 0 else -1.0
        agreement = sign * (2 * self.model.probability(text) - 1)
        polarity = vocabulary * (1 - MODEL_WEIGHT + MODEL_WEIGHT * agreement)
        label: Label = "positive" if polarity > 0 else "negative"
        return Sentiment(
            label=label,
            polarity=round(polarity, 4),
            subjectivity=None,
            language="ko",
            confidence=word_confidence(polarity, [h.value for h in hits]),
            drivers=tuple(Driver(norm[h.start : h.end], clipped(h.value)) for h in hits),
        )

    def hits(self, norm: str) -> list[Hit]:
        """Every vocabulary word in the normalised text, longest first, with its negation."""
        found: list[Hit] = []
        done = 0
        for match in self._lexicon.stems.finditer(norm):
            p, stem = match.start(), match.group()
            if p < done or (stem in _WORD_START and p and norm[p - 1] != " "):
                continue
            alone, negated = self._lexicon.values[stem]
            start, end, flips = _scope(norm, p, p + len(stem))
            value = negated if flips % 2 else alone
            if value > 0 and not stem.startswith(_THANKS) and _wished(norm, end):
                value = 0.0  # 친절하게 설명해 주세요: asking for it is not praise
            if value:
                if _word_before(norm, start) in _INTENSIFIERS:
                    value *= INTENSIFIED
                found.append(Hit(start, end, value))
            done = max(end, p + len(stem))
        return found

    def knows_every_word(self, text: str) -> bool:
        """Never: a short text is left to the language detector rather than claimed as Korean
        by a few stems."""
        return False


def _scope(norm: str, p: int, q: int) -> tuple[int, int, int]:
    """Where the hit for the stem at norm[p:q] starts and ends (the words it sits in, with any
    negation), and how many negations reach it."""
    start = norm.rfind(" ", 0, p) + 1
    word_end = _word_end(norm, q)
    rest = norm[q:word_end]
    flips, end = 0, word_end
    before = _word_before(norm, start)
    if norm[start:p] in _NOT or (before in _NOT and start == p):
        flips += 1  # 안 빨라요, 안빨라요
        if norm[start:p] not in _NOT:
            start -= len(before) + 1
    following = norm[word_end + 1 : _word_end(norm, word_end + 1)] if word_end < len(norm) else ""
    nominal = rest in _PARTICLES
    if "지않" in rest or "지못" in rest or rest.startswith("없") or ("없" in rest and nominal):
        flips += 1  # 빠르지않다; 성의없음
    elif rest.endswith(("지", "지는", "지도", "지가")) and following.startswith(_NOT_AFTER):
        flips, end = flips + 1, word_end + 1 + len(following)  # 친절하지 않았어요
    elif nominal and following.startswith("없"):
        flips, end = flips + 1, word_end + 1 + len(following)  # 연락이 없습니다
    elif nominal and following.startswith(_NOT):
        # 해결이 안 됐어요, 답을 못 받았어요: the verb after 안 or 못 is in the scope
        flips += 1
        end = word_end + 1 + len(following)
        if following in _NOT:
            end = _word_end(norm, end + 1)
    return start, end, flips


def _word_end(norm: str, i: int) -> int:
    space = norm.find(" ", i)
    return len(norm) if space < 0 else space


def _word_before(norm: str, start: int) -> str:
    """The word before the one starting at `start`."""
    if start < 2:
        return ""
    return norm[norm.rfind(" ", 0, start - 1) + 1 : start - 1]


def _wished(norm: str, end: int) -> bool:
    """Whether the words just after a hit ask for it (해결 부탁드립니다, 친절하게 설명해 주세요)."""
    last = end
    for _ in range(2):
        last = _word_end(norm, last + 1)
    after = re.split(r"[.!?,]", norm[norm.rfind(" ", 0, end) + 1 : last])[0]
    return any(w in after for w in _WISH)


def _weigh_contrast(norm: str, hits: list[Hit]) -> list[Hit]:
    if not hits:
        return hits
    pivot = -1
    for i, word in _words(norm):
        if word in _CONTRAST_WORDS or word.rstrip(".,").endswith(_CONTRAST_ENDINGS):
            pivot = i + len(word)
    if pivot < 0:
        return hits
    return [
        h._replace(value=h.value * (AFTER_CONTRAST if h.start >= pivot else BEFORE_CONTRAST))
        for h in hits
    ]


def _words(norm: str) -> list[tuple[int, str]]:
    found, i = [], 0
    for word in norm.split(" "):
        found.append((i, word))
        i += len(word) + 1
    return found
