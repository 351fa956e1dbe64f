"""Message text the way Slack stores it, returns it (history, replies, events) and sends it.

Slack escapes three characters: `&` as `&amp;`, `<` as `&lt;`, `>` as `&gt;`. So every `<…>`
left in the text is one of Slack's own tokens: a person `<@U…>` (or `<@U…|name>`), a channel
`<#C…|name>`, a special mention `<!here>`, `<!channel>`, `<!subteam^S…|@team>`, `<!date^…>`,
or a link `<https://…|label>`, `<mailto:…|…>`. Text outside that form never comes from Slack,
so the stand-in refuses to hold it, and `slack_text_of` turns what a person typed into it.
"""

import re
from collections.abc import Mapping

_TOKEN = re.compile(r"<([^<>]*)>")
_TOKEN_BODY = re.compile(
    r"@[UW][A-Z0-9]+(?:\|[^|]*)?"  # a person
    r"|#[CG][A-Z0-9]+(?:\|[^|]*)?"  # a channel
    r"|![a-z]+(?:\^[^|]*)?(?:\|[^|]*)?"  # !here, !channel, !everyone, !subteam^S…, !date^…
    r"|[a-z][a-z0-9+.-]*:[^\s|]+(?:\|[^|]*)?"  # a link: https:, mailto:, tel:…
)
_ENTITY = re.compile(r"&(?!(?:amp|lt|gt);)")
# What a person types that Slack's client turns into a token.
_TYPED = re.compile(
    r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|@(?P<special>here|channel|everyone)\b"
    r"|@(?P<user>[UW][A-Z0-9]{2,})\b"
    r"|#(?P<channel>[CG][A-Z0-9]{2,})\b"
    r"|(?P<url>https?://[^\s<>]+[^\s<>.,;:!?)])"
)


def escape(text: str) -> str:
    """`&`, `<`, `>` as Slack stores them."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_around_tokens(text: str) -> str:
    """`text` with `&`, `<`, `>` escaped except in the Slack tokens it already holds (`<@U…|name>`,
    `<#C…|name>`, `<!here>`, `<https://…>`): what Slack sends for a slash command whose person
    typed the rest and picked those from the @ / # menus."""
    out, last = [], 0
    for token in _TOKEN.finditer(text):
        if _TOKEN_BODY.fullmatch(token[1]):
            out += [escape(text[last : token.start()]), token[0]]
            last = token.end()
    out.append(escape(text[last:]))
    return "".join(out)


def slack_text_of(typed: str, *, channels: Mapping[str, str] | None = None) -> str:
    """What Slack stores when a person posts `typed`.

    `&`, `<` and `>` are escaped. As Slack's client does, `@U0IT00001` (a person picked from
    the @ menu, written by id) becomes `<@U0IT00001>`, `@here`/`@channel`/`@everyone` become
    `<!here>`…, `#C0ITHELP1` becomes `<#C0ITHELP1|it-help>` (the name from `channels`, when
    given), a typed URL `<https://…>` and an e-mail address `<mailto:a@b.example|a@b.example>`.

    >>> slack_text_of("my laptop <urgent> & @U0IT00001 https://x.example/?a=1&b=2")
    'my laptop &lt;urgent&gt; &amp; <@U0IT00001> <https://x.example/?a=1&amp;b=2>'
    """
    names = channels or {}
    out, last = [], 0
    for found in _TYPED.finditer(typed):
        out.append(escape(typed[last : found.start()]))
        last = found.end()
        if email := found["email"]:
            out.append(f"<mailto:{escape(email)}|{escape(email)}>")
        elif special := found["special"]:
            out.append(f"<!{special}>")
        elif user := found["user"]:
            out.append(f"<@{user}>")
        elif channel := found["channel"]:
            name = names.get(channel)
            out.append(f"<#{channel}|{escape(name)}>" if name else f"<#{channel}>")
        else:
            out.append(f"<{escape(found['url'])}>")
    out.append(escape(typed[last:]))
    return "".join(out)


def check_slack_text(text: str) -> None:
    """ValueError when `text` is not something Slack could send: a bare `<` or `>`, a `<…>`
    that is none of Slack's tokens, or an `&` that starts none of `&amp;` `&lt;` `&gt;`."""
    if (bare := _ENTITY.search(text)) is not None:
        raise ValueError(
            f"{_around(text, bare.start())}: Slack sends `&` as `&amp;`; write the text as "
            "Slack stores it (slack_text_of(typed) does that)"
        )
    for token in _TOKEN.finditer(text):
        if not _TOKEN_BODY.fullmatch(token[1]):
            raise ValueError(
                f"{_around(text, token.start())}: {token[0]!r} is none of Slack's tokens "
                "(<@U…>, <#C…|name>, <!here>, <https://…|label>); typed text arrives as "
                "&lt;…&gt; (slack_text_of(typed) escapes it)"
            )
    rest = _TOKEN.sub("", text)
    if (bare_bracket := re.search(r"[<>]", rest)) is not None:
        raise ValueError(
            f"{text!r}: a bare {bare_bracket[0]!r}; Slack sends `<` and `>` as `&lt;` and "
            "`&gt;` outside its own <…> tokens (slack_text_of(typed) escapes them)"
        )


def _around(text: str, at: int) -> str:
    start = max(0, at - 20)
    return repr(("…" if start else "") + text[start : at + 20])
