"""Japanese: the Tohoku polarity dictionary (日本語評価極性辞書) over MeCab's base forms, with
negation, contrast and a small vocabulary of service feedback.

Words are matched by lemma (IPAdic's 基本形), so 良かった, 良く and 良い are one entry, and an
entry of several words (ばつが悪い, たらい回し) is matched as its sequence of lemmas: the build
script (`build_japanese.py`) cut every entry with this same tokenizer, so data and text are cut
alike. Japanese negates after the word: a polar word is flipped by a negation (ない, the ん of
ません, ず, ぬ) reached through the auxiliaries, particles and light verbs between them
(丁寧ではありませんでした, 解決されない, 対応してくれなかった).

MeCab and the dictionary load on first use: the scoring workers import every backend.
"""

import json
import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from importlib.resources import files
from typing import Any, NamedTuple

from bot.sentiment.lexicon import EMOJI
from bot.sentiment.model import Driver, Sentiment, clipped, label_of, no_signal, word_confidence

DATA = "ja_polarity.json"  # in bot/sentiment/models/, built by build_japanese.py

# A dictionary entry is only "positive" or "negative": this is what one is worth. A negated
# word says less than its opposite would ("not kind" is milder than "rude").
DICTIONARY_VALENCE = 0.5
NEGATED = -0.8
INTENSIFIED = 1.3
WISHED = -0.5  # 早く対応してほしい: wishing for it says it was missing
# What follows the last contrast word (けど, しかし, でも…) counts this much more, what precedes
# it this much less (English's "but").
AFTER_CONTRAST, BEFORE_CONTRAST = 1.5, 0.5
ALPHA = 0.3  # polarity = s / √(s² + ALPHA): one plain word ≈ 0.67, two ≈ 0.88
_SCOPE = 8  # tokens a negation may stand after its word

# The service vocabulary: ours, not the dictionary's (which lacks or underrates these). Written
# as people write them and cut into lemmas on load; an entry here overrides the dictionary's.
# fmt: off
SERVICE: dict[str, float] = {
    # speed and help
    "早い": 0.6, "速い": 0.6, "素早い": 0.6, "迅速": 0.7, "すぐに対応": 0.5, "スムーズ": 0.5,
    "ありがとう": 0.8, "ありがたい": 0.6, "助かる": 0.7, "感謝": 0.7, "丁寧": 0.6, "親切": 0.6,
    "神対応": 1.0, "頼りになる": 0.7, "おすすめ": 0.6, "お勧め": 0.6,
    # 使いやすい, 分かりにくい: easy or hard to do something
    "やすい": 0.4, "にくい": -0.4, "づらい": -0.4,
    # delay, neglect and breakage
    "遅い": -0.6, "遅れる": -0.5, "遅延": -0.6, "待たされる": -0.6, "たらい回し": -0.8,
    "放置": -0.6, "不親切": -0.7, "不具合": -0.6, "エラー": -0.4, "ひどい": -0.7, "雑": -0.5,
    "いい加減": -0.6, "がっかり": -0.7, "期待外れ": -0.7, "二度と": -0.6, "返品": -0.4,
    "違う": -0.3, "未解決": -0.6, "未対応": -0.5, "未回答": -0.5, "未着": -0.5,
    # products and places
    "高すぎる": -0.5, "安い": 0.3, "狭い": -0.4, "うるさい": -0.5, "まずい": -0.6,
    "リピート": 0.5,
}
# A verdict that is neither (普通です, まあまあ): a neutral signal, not an absence of one.
LUKEWARM = ("普通", "ふつう", "まあまあ", "そこそこ", "無難")
# また利用したい, もう一度行きたい: wanting to come back is praise.
_AGAIN = frozenset({"また", "もう一度", "またぜひ"})
AGAIN = 0.6
# What people expect to get: nothing said by its presence, a complaint by its absence
# (返事がない, 電話がつながらない). The value is what the negated word is worth.
EXPECTED: dict[str, float] = {
    "返事": -0.6, "返信": -0.6, "連絡": -0.5, "回答": -0.5, "音沙汰": -0.7, "折り返し": -0.5,
    "対応": -0.5, "説明": -0.4, "謝罪": -0.5, "反応": -0.4, "つながる": -0.6, "繋がる": -0.6,
    "届く": -0.5, "直る": -0.6, "動く": -0.5, "使える": -0.6, "反映": -0.4, "進む": -0.4,
    "できる": -0.4, "出来る": -0.4,
}
_INTENSIFIERS = frozenset({"とても", "すごい", "凄い", "非常", "大変", "めちゃくちゃ", "めっちゃ",
                           "かなり", "本当", "ほんとう", "超", "実に", "極めて"})
_CONTRAST_PARTICLES = frozenset({"が", "けど", "けれど", "けれども", "のに", "ものの"})
_CONTRAST_CONJUNCTIONS = frozenset({"しかし", "でも", "だが", "ですが", "ただ", "ただし",
                                    "ところが", "けど", "だけど", "けれど", "けれども",
                                    "とはいえ", "なのに", "それでも"})
# Between a word and its negation: 丁寧 で は ない, 解決 さ れ ない, 対応 し て くれ ない.
_BRIDGE_AUXILIARIES = frozenset({"だ", "です", "ます", "た", "れる", "られる", "せる", "させる"})
_BRIDGE_PARTICLES = frozenset({"は", "も", "が", "じゃ", "と"})  # and the て of a te-form
_LIGHT_VERBS = frozenset({"する", "ある", "いる", "おる", "くれる", "もらう", "いただく",
                          "くださる", "下さる", "できる", "出来る", "なる", "くる", "いく",
                          "しまう", "れる", "られる", "得る", "える", "思う", "感じる", "言える"})
# fmt: on


class Token(NamedTuple):
    surface: str
    lemma: str
    pos: str  # 品詞
    pos1: str  # 品詞細分類1
    form: str  # 活用形
    reading: str  # in katakana; "" for an unknown word


@cache
def _tagger() -> Any:
    import fugashi  # type: ignore[import-untyped]
    import ipadic  # type: ignore[import-untyped]

    return fugashi.GenericTagger(ipadic.MECAB_ARGS)


def tokenize(text: str) -> list[Token]:
    """MeCab's tokens of the NFKC-normalised text; an unknown word is its own lemma."""
    tokens = []
    for node in _tagger()(unicodedata.normalize("NFKC", text)):
        f = node.feature
        lemma = f[6] if len(f) > 6 and f[6] != "*" else node.surface
        tokens.append(Token(node.surface, lemma, f[0], f[1], f[5], f[7] if len(f) > 7 else ""))
    return tokens


def lemmas(text: str) -> tuple[str, ...]:
    return tuple(t.lemma for t in tokenize(text))


class Entry(NamedTuple):
    lemmas: tuple[str, ...]
    valence: float  # alone
    negated: float  # negated
    lukewarm: bool = False  # a signal even at 0


@dataclass(frozen=True)
class Lexicon:
    by_first: dict[str, list[Entry]]  # by first lemma, longest entry first

    @classmethod
    def build(cls, entries: Iterable[Entry]) -> "Lexicon":
        by_key = {e.lemmas: e for e in entries if e.lemmas}  # a later entry overrides
        by_first: dict[str, list[Entry]] = {}
        for entry in by_key.values():
            by_first.setdefault(entry.lemmas[0], []).append(entry)
        for group in by_first.values():
            group.sort(key=lambda e: -len(e.lemmas))
        return cls(by_first)

    def match(self, tokens: list[Token], i: int) -> Entry | None:
        for entry in self.by_first.get(tokens[i].lemma, ()):
            n = len(entry.lemmas)
            if i + n <= len(tokens) and all(
                tokens[i + k].lemma == entry.lemmas[k] for k in range(1, n)
            ):
                return entry
        return None


def load_lexicon() -> Lexicon:
    data = json.loads(files("bot.sentiment").joinpath("models", DATA).read_text("utf-8"))
    entries = [
        Entry(tuple(key.split(" ")), sign * DICTIONARY_VALENCE, sign * DICTIONARY_VALENCE * NEGATED)
        for key, sign in data["entries"].items()
    ]
    entries += [Entry(lemmas(w), v, v * NEGATED) for w, v in SERVICE.items()]
    entries += [Entry(lemmas(w), 0.0, v) for w, v in EXPECTED.items()]
    entries += [Entry(lemmas(w), 0.0, 0.0, lukewarm=True) for w in LUKEWARM]
    return Lexicon.build(entries)


class Hit(NamedTuple):
    start: int  # index of its first token
    end: int  # past its last token, negation included
    value: float


class JapaneseBackend:
    language = "ja"

    @cached_property
    def _lexicon(self) -> Lexicon:
        return load_lexicon()

    def knows_every_word(self, text: str) -> bool:
        return False

    def score(self, text: str) -> Sentiment:
        tokens = tokenize(text)
        hits = _weigh_contrast(tokens, self.hits(tokens))
        if not hits:
            return no_signal("ja")
        total = sum(h.value for h in hits)
        polarity = total / math.sqrt(total * total + ALPHA)
        drivers = tuple(
            Driver("".join(t.surface for t in tokens[h.start : h.end]), clipped(h.value))
            for h in hits
        )
        return Sentiment(
            label=label_of(polarity),
            polarity=round(polarity, 4),
            subjectivity=None,
            language="ja",
            confidence=word_confidence(polarity, [h.value for h in hits]),
            drivers=drivers,
        )

    def hits(self, tokens: list[Token]) -> list[Hit]:
        """Every polar word or phrase, longest match first, with its negation applied."""
        found: list[Hit] = []
        i = 0
        while i < len(tokens):
            entry = self._lexicon.match(tokens, i)
            if entry is None:
                emoji = EMOJI.get(tokens[i].surface)
                again = _wanting_again(tokens, i)
                if emoji:
                    found.append(Hit(i, i + 1, emoji / 4))
                elif again:
                    end, negated = again
                    found.append(Hit(i, end, AGAIN * NEGATED if negated else AGAIN))
                i += 1
                continue
            end = i + len(entry.lemmas)
            negations, wished, scope_end = _scope(tokens, end)
            value = entry.negated if negations % 2 else entry.valence
            if wished and not negations and max(entry.valence, -entry.negated) > 0:
                value = WISHED * max(entry.valence, -entry.negated)
            if value or entry.lukewarm:
                if any(t.lemma in _INTENSIFIERS for t in tokens[max(0, i - 2) : i]):
                    value *= INTENSIFIED
                found.append(Hit(i, scope_end if negations or wished else end, value))
            i = end
        return found


def _weigh_contrast(tokens: list[Token], hits: list[Hit]) -> list[Hit]:
    marks = [i for i, t in enumerate(tokens) if _is_contrast(t)]
    if not marks or not hits:
        return hits
    pivot = marks[-1]
    return [
        h._replace(value=h.value * (AFTER_CONTRAST if h.start > pivot else BEFORE_CONTRAST))
        for h in hits
    ]


def _scope(tokens: list[Token], end: int) -> tuple[int, bool, int]:
    """The negations and wishes (ほしい) that reach the word ending before tokens[end], and where
    its scope ends. An adverb (丁寧に, 早く) reaches through the verb it qualifies:
    丁寧に対応してくれなかった negates the care, not only the reply."""
    negations, wished, last = 0, False, end
    adverb_suffix = end < len(tokens) and tokens[end].pos1 == "副詞化"  # the に of 丁寧に
    last_token = tokens[end - 1]
    adverbial = adverb_suffix or (
        last_token.pos == "形容詞" and last_token.form.startswith("連用テ")
    )
    k = end + 1 if adverb_suffix else end
    while k < len(tokens) and k - end < _SCOPE:
        t = tokens[k]
        if _is_negation(t):
            negations, last = negations + 1, k + 1
        elif t.lemma in ("ほしい", "欲しい") and t.pos1 == "非自立":
            wished, last = True, k + 1
        elif adverbial and (t.pos1 == "サ変接続" or (t.pos == "動詞" and t.pos1 == "自立")):
            adverbial = False  # one verb only: the one the adverb qualifies
        elif not _bridges(t):
            break
        k += 1
    return negations, wished, last


def _wanting_again(tokens: list[Token], i: int) -> tuple[int, bool] | None:
    """Where また…たい (また利用したい) ends, and whether it is negated; None if not there."""
    if tokens[i].lemma not in _AGAIN:
        return None
    for k in range(i + 1, min(i + 6, len(tokens))):
        t = tokens[k]
        if t.pos == "記号":
            return None
        if t.pos == "助動詞" and t.lemma == "たい":
            negations, _, end = _scope(tokens, k + 1)
            return end, negations % 2 == 1
    return None


def _is_negation(t: Token) -> bool:
    if t.lemma in ("ない", "無い"):  # 良くない (an auxiliary), 返事がない (an adjective)
        return t.pos in ("助動詞", "形容詞")
    return t.lemma in ("ぬ", "ん") and t.pos == "助動詞"  # ず, ません


def _bridges(t: Token) -> bool:
    if t.pos == "助動詞":
        return t.lemma in _BRIDGE_AUXILIARIES
    if t.pos == "助詞":
        if t.pos1 == "接続助詞":
            return t.lemma in ("て", "で")
        return t.lemma in _BRIDGE_PARTICLES
    if t.pos == "動詞":
        return t.lemma in _LIGHT_VERBS
    return t.pos == "名詞" and t.lemma in ("わけ", "訳")


def _is_contrast(t: Token) -> bool:
    if t.pos == "接続詞":
        return t.lemma in _CONTRAST_CONJUNCTIONS
    return t.pos == "助詞" and t.pos1 == "接続助詞" and t.lemma in _CONTRAST_PARTICLES
