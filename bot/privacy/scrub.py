"""Digest quotes that identify no one: names, mentions, e-mails and phones become placeholders.

In order: Slack markup (`<@U…>`, `<!here>`, `<#C…>`, `<mailto:…>`), e-mail addresses and
`@handles`, phone numbers, the names the caller knows, then names guessed after a cue. Placeholders
(`[someone]`, `[channel]`, `[email]`, `[phone]`, `[name]`) keep the sentence readable; a second
`scrub` changes nothing.

The guess takes up to three capitalised words (particles like "von", "de" in between) right after
a thanks, greeting, attribution word or title: "Thanks Tom", "Frau Müller". Its limits:
- no cue, no guess: "Tom fixed it" keeps Tom (pass known names in `names`), and so does "TOM"
  after a cue, taken for an acronym (IT, HR, DHL: all-caps words of up to four letters stay);
- other capitalised words after a cue go too ("from Amazon", "Thanks, Great job") unless on the
  stoplist (weekdays, months en/de/fr/es, articles, titles, common department words) or in `keep`;
- cues are English plus greetings and titles in de/fr/es/it: "Danke an Tom" is missed;
- names in `names` match in any case, so one that is also a word ("Will") goes everywhere.
"""

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

# Slack's markup: the id and the "|label" after it (often a display name) go together.
# `[^<>]` so that a label can never swallow the start of another piece of markup.
_SLACK = re.compile(r"<(?P<kind>@|#|!subteam\^|!date\^|!|mailto:|tel:)(?P<body>[^<>]*)>")
_SLACK_PLACEHOLDERS = {
    "@": "[someone]",
    "!subteam^": "[someone]",  # a user group is people too
    "#": "[channel]",
    "!": "[channel]",  # <!here>, <!channel>, <!everyone>
    "mailto:": "[email]",
    "tel:": "[phone]",
}
# An address, or else an @handle or an address without a domain ("@ada.lovelace",
# "ada@localhost"). The address part is looser than any "simple" e-mail regex, so what a stricter
# reader calls an address lies inside a match. The lookbehind starts matches at a token start
# (linear time, not quadratic).
_ADDRESS = re.compile(r"(?<![\w.%+-])(?:[\w.%+-]+@[\w.-]+\.\w{2,}|[\w.%+-]*@\w(?:[\w.-]*\w)?)")
# Phone candidates: digit groups joined by one space, dash, dot or slash (or nothing after a
# bracketed area code), optionally after "+". The lookarounds keep it off the digits of "#12345",
# "€49.99", "4.5", "v1.2.3", "10:30"; `_phone` then judges the digits and the shape.
_PHONE = re.compile(
    r"(?<![\w#€$£¥.,:/+-])\+?(?:\(\d{1,5}\)|\d{1,15})"
    r"(?:(?: ?[-./] ?| |(?<=\)))(?:\(\d{1,5}\)|\d{2,}))*(?![\w/:+]|[.,-]\d)"
)
_DIGIT_GROUP = re.compile(r"\d+")
# Dates ("20.11.2026", "11/20/2026") and year ranges ("2019-2026") have a phone's digit count.
_NOT_PHONE = re.compile(r"\d{1,2} ?([./-]) ?\d{1,2} ?\1 ?\d{2,4}|(?:19|20)\d\d\W{1,3}(?:19|20)\d\d")
_NATIONAL = re.compile(r"0[1-9]\d{7,10}")  # "01712345678": trunk prefix, unseparated
_NAME_PART = re.compile(r"[^\W\d_]{3,}")  # the parts of a known name worth removing alone
_TITLES = (
    "mrs|mr|ms|miss|dr|prof|herr|frau|monsieur|madame|mme|mlle|señora|señor|sra|sr|signora|signor"
)
# A cue, then the words after it in a lookahead: a name may itself hold the next cue, so each
# cue is tried ("Thanks to Tom" at "Thanks" and again at "to").
_CUED = re.compile(
    rf"(?<!\w)(?:(?:{_TITLES})\.?|thank you|thanks|thx|kudos|danke|merci|gracias|asked|ask|by"
    r"|from|with|to|contact|called|dear|hi|hello|hallo|bonjour|hola),? "
    r"(?=(?P<words>[^\W\d_][\w'’-]*(?: [^\W\d_][\w'’-]*){0,4}))",
    re.IGNORECASE,
)
# Kept as plain text: a word list reads better as prose than as a column of quoted strings.
_PARTICLE_WORDS = "von van der den de del della di du da la le ten ter zu y"
_STOP_WORDS = """i a an the we you he she it they my our your this that these those all everyone
    team der die das den dem ein eine le la les un une el los las una
    monday tuesday wednesday thursday friday saturday sunday montag dienstag mittwoch donnerstag
    freitag samstag sonntag lundi mardi mercredi jeudi vendredi samedi dimanche lunes martes
    miércoles jueves viernes sábado domingo january february march april may june july august
    september october november december januar februar märz juni juli oktober dezember janvier
    février mars avril mai juin juillet août septembre octobre novembre décembre enero febrero
    marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre
    finance logistics sales support marketing legal accounting procurement purchasing operations
    facilities engineering security customer service management office admin"""
_PARTICLES = frozenset(_PARTICLE_WORDS.split())
_STOP = frozenset(_STOP_WORDS.split()) | frozenset(_TITLES.split("|"))
_SPACE = re.compile(r"\s+")
_REPEATED = re.compile(r"(\[(?:someone|channel|email|phone|name)\])(?: ?\1)+")


def scrub(text: str, *, names: Iterable[str] = (), keep: Iterable[str] = ()) -> str:
    """Remove what identifies a person from `text`, leaving placeholders.

    `names` are people's names the app knows (authors, Slack display and real names); each and
    its parts of three letters or more are removed in any case. `keep` are words the name guess
    must leave alone (department and product names), in any case.
    """
    text = _SPACE.sub(" ", text).strip()
    text = _exhaust(_SLACK, _slack, text)  # markup can nest: "<@<!here>>"
    text = _exhaust(_ADDRESS, _address, text)
    text = _PHONE.sub(_phone, text)
    known = _names_pattern(frozenset(names))
    if known is not None:
        text = known.sub("[name]", text)
    stop = _STOP.union(word.casefold() for phrase in keep for word in phrase.split())
    text = _guess_names(text, stop)
    return _REPEATED.sub(r"\1", text).strip()


def shorten(text: str, limit: int = 280) -> str:
    """`text` cut to at most `limit` characters at a word boundary, with "…" when cut."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if not (text[limit - 1].isspace() or cut[-1:].isspace()):
        head, space, _ = cut.rpartition(" ")
        cut = head if space else cut  # one long word: cut inside it rather than lose it all
    return cut.rstrip(" ,;:-") + "…"


def _slack(match: re.Match[str]) -> str:
    if match["kind"] == "!date^":  # a formatted date: Slack's own fallback text is safe to show
        return match["body"].partition("|")[2]
    return _SLACK_PLACEHOLDERS[match["kind"]]


def _exhaust(pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str], text: str) -> str:
    # One match can hide or hold another ("0@0.00.0@0.ab", "@ab.@cd"): repeat until none is
    # left. Each round removes at least one "@" or "<", so this ends.
    while (fewer := pattern.sub(repl, text)) != text:
        text = fewer
    return text


def _address(match: re.Match[str]) -> str:
    return "[someone]" if match[0].startswith("@") else "[email]"


def _phone(match: re.Match[str]) -> str:
    found = match.group()
    groups = _DIGIT_GROUP.findall(found)
    digits = sum(map(len, groups))
    if not 7 <= digits <= 15 or _NOT_PHONE.fullmatch(found):
        return found
    phoneish = (
        found.startswith("+")
        or "(" in found
        or len(groups) >= 4  # "01 23 45 67 89", "030 12 34 56 78"
        or (len(groups) > 1 and len(groups[-1]) >= 4)  # not "1 234 567" (thousands)
        or _NATIONAL.fullmatch(found) is not None
    )
    return "[phone]" if phoneish else found


@lru_cache(maxsize=64)
def _names_pattern(names: frozenset[str]) -> re.Pattern[str] | None:
    wanted: set[str] = set()
    for name in names:
        full = " ".join(name.split())
        wanted.update(w for w in (full, full.rstrip(".")) if w)
        wanted.update(_NAME_PART.findall(full))
    if not wanted:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(wanted, key=len, reverse=True))
    # Not inside a word, and not the word inside a placeholder such as "[email]".
    return re.compile(rf"(?<![\w\[])(?:{alternatives})(?![\w\]])", re.IGNORECASE)


def _guess_names(text: str, stop: frozenset[str]) -> str:
    out: list[str] = []
    pos = 0
    for match in _CUED.finditer(text):
        start = match.start("words")
        end = start + _name_length(match["words"].split(" "), stop)
        if end == start:
            continue
        if start >= pos:  # else it continues a name already replaced: just drop the rest
            out += [text[pos:start], "[name]"]
        pos = max(pos, end)
    return "".join(out) + text[pos:]


def _name_length(words: list[str], stop: frozenset[str]) -> int:
    taken = capitalised = 0
    for i, word in enumerate(words):
        if word.casefold() in _PARTICLES:
            continue  # counts only if a capitalised word follows
        base = word.removesuffix("'s").removesuffix("’s")
        acronym = base.isupper() and len(base) <= 4
        if capitalised == 3 or not base[:1].isupper() or acronym or base.casefold() in stop:
            break
        capitalised += 1
        taken = i + 1
    return len(" ".join(words[:taken]))
