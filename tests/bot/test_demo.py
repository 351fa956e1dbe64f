"""`make demo` must keep working: it is how a newcomer first sees the product."""

import json
from pathlib import Path

import pytest

from bot.blocks.render import Renderer, block_kit_builder_url
from bot.demo import run_demo


async def test_demo_runs_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert await run_demo(tmp_path / "out") == 0
    out = capsys.readouterr().out
    assert "/quality help" in out and "/quality departments" in out
    assert "Ask for help in #it-help" in out and "Managed by @ines" in out
    assert "3 members" in out  # IT's members came from its Slack user group
    # A served request in #it-help becomes a DM poll, answered in one click.
    assert "How did IT do?" in out and "[ 1 · poor ]  [ 2 ]  [ 3 ]  [ 4 ]  [ 5 · excellent ]" in out
    assert "Thank you — you rated IT 4 of 5." in out
    # Signed reviews, routed by keyword in English and German; the 1-star one alerted.
    assert "google/g-2002      → logistics  by keyword  unsupported_language (de)" in out
    assert "★☆☆☆☆ 1/5 · trustpilot · Logistics" in out
    saved = sorted((tmp_path / "out").glob("*.json"))
    assert len(saved) == 5
    assert json.loads(saved[0].read_text())["blocks"][0]["type"] == "header"
    assert "https://app.slack.com/block-kit-builder/#" in out


def test_renderer_shows_names_links_and_bold() -> None:
    r = Renderer({"U0IT00001": "ines", "C0ITHELP1": "it-help"})
    assert r.mrkdwn("*IT* by <@U0IT00001> in <#C0ITHELP1>") == "IT by @ines in #it-help"
    assert r.mrkdwn("<@U0X|bob> and <!here> &lt;tag&gt;") == "@bob and @here <tag>"
    assert r.mrkdwn("<https://acme.test|the docs>") == "the docs (https://acme.test)"
    assert "\033[1mIT\033[0m" in Renderer(ansi=True).mrkdwn("*IT*")


def test_builder_url_carries_the_blocks() -> None:
    url = block_kit_builder_url([{"type": "divider"}])
    assert url.endswith("%7B%22blocks%22%3A%5B%7B%22type%22%3A%22divider%22%7D%5D%7D")
