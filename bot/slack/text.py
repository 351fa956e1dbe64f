"""Slack's text, read once on the way in.

Slack sends message and command text escaped: `&`, `<` and `>` as `&amp;`, `&lt;` and `&gt;`,
and mentions, channels and links as markup in angle brackets (`<@U123>`, `<#C123|it-help>`,
`<!here>`, `<https://example.com|the wiki>`). What we store is plain text — what the person
would read — whichever way it came (a message, a modal's input, an internal tool's webhook), and
`bot.blocks.escape` escapes it once on the way out.

A person's mention becomes "@someone": the request's author knows whom they asked, and a stored
summary then names no one else (nothing for an erasure to find later).
"""

import re

# A piece of Slack markup: `<` … `>`, never nested (Slack escapes any `<` inside).
_MARKUP = re.compile(r"<([^<>]*)>")
SOMEONE = "@someone"


def unescape(text: str) -> str:
    """Slack escapes these three, and only these (`&amp;` last: `&amp;lt;` is a typed "&lt;")."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def plain(text: str) -> str:
    """Slack's text as a person reads it: markup resolved, entities unescaped."""
    return "".join(
        unescape(part) if n % 2 == 0 else _plain_markup(part)
        for n, part in enumerate(_MARKUP.split(text))
    )


def _plain_markup(inside: str) -> str:
    target, _, label = inside.partition("|")
    label = unescape(label)
    if target.startswith("@"):
        return SOMEONE
    if target.startswith("#"):
        return f"#{label}" if label else "#channel"
    if target.startswith("!subteam^"):
        return label if label.startswith("@") else f"@{label or 'group'}"
    if target.startswith("!"):
        special = target[1:].split("^", 1)[0]
        if special in ("here", "channel", "everyone"):
            return f"@{special}"
        return label  # <!date^…|fallback>: the fallback is the text to show
    if target.startswith("mailto:"):
        return label or target.removeprefix("mailto:")
    return label or unescape(target)  # a link: its label, else its address


def command_words(text: str) -> list[str]:
    """The words of a slash command's text. Mentions and channels (`<@U123|sam>`) stay whole,
    as markup, for the subcommand that wants a person; everything else is unescaped."""
    words: list[str] = []
    for n, part in enumerate(_MARKUP.split(text)):
        if n % 2:
            words.append(f"<{part}>")
        else:
            words.extend(unescape(part).split())
    return words
