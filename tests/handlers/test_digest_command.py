"""`/quality digest`: a preview for anyone; `digest post` for admins, through the same claim."""

from tests.bot import digest_data as data
from tests.conftest import Harness
from tests.support import message_text

ADMIN = "U0ADMIN01"


async def _seed_w46() -> None:  # the clock says Wednesday of W47: W46 is the last complete week
    await data.ratings(
        "it", "2026-W46", [2, 2, 3], rater="finance",
        sentiments=[("negative", -0.7)] * 3,
        comments=["The laptop swap was a mess"] * 3,
    )  # fmt: skip
    await data.reviews(
        "it", "2026-W46", [1, 2, 2],
        sentiments=[("negative", -0.8)] * 3, texts=["Support never called back"] * 3,
    )  # fmt: skip


async def test_anyone_gets_a_private_preview_without_colleagues_comments(harness: Harness) -> None:
    await _seed_w46()
    resp = await harness.command("digest")
    assert resp.status == 200 and await resp.text() == ""
    [preview] = await harness.slack.wait_for_response()
    assert preview["response_type"] == "ephemeral"
    text = message_text(preview)
    assert "Service quality — week 2026-W46" in text
    assert "Support never called back" in text  # a customer review may be quoted
    assert "laptop swap" not in text  # a colleague's comment is for IT's managers only
    assert harness.slack.calls_to("chat.postMessage") == []  # nothing was posted


async def test_only_an_admin_may_post(harness: Harness) -> None:
    body = await (await harness.command("digest post", user_id="U0EMP0001")).json()
    assert body["response_type"] == "ephemeral" and "Only an admin" in body["text"]
    assert harness.slack.calls_to("chat.postMessage") == []


async def test_an_admin_posts_once_and_a_second_post_says_so(harness: Harness) -> None:
    await _seed_w46()
    await harness.command("digest post", user_id=ADMIN)
    [first] = await harness.slack.wait_for_response()
    assert first["text"] == "Posted the digest of 2026-W46 to <#C0DIGEST01>."
    await harness.command("digest post", user_id=ADMIN)
    replies = await harness.slack.wait_for_response(count=2)
    assert "already in <#C0DIGEST01>" in replies[-1]["text"]
    posted = harness.slack.calls_to(
        "chat.postMessage", where=lambda c: c.params["channel"] == "C0DIGEST01"
    )
    assert len(posted) == 1


async def test_digest_with_other_words_gets_the_help(harness: Harness) -> None:
    body = await (await harness.command("digest now please")).json()
    assert "`digest` takes nothing, or `post`." in message_text(body)
