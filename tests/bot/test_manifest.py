from pathlib import Path

import pytest
import yaml

from bot.slack.manifest import BOT_EVENTS, DEFAULT_PUBLIC_URL, build_manifest, manifest_yaml

# Touches no database: run once, in the SQLite run.
pytestmark = pytest.mark.same_on_either_database

ROOT = Path(__file__).resolve().parents[2]


def test_committed_manifest_is_the_generated_one() -> None:
    assert (ROOT / "manifest.yml").read_text() == manifest_yaml(DEFAULT_PUBLIC_URL)


def test_http_manifest_points_everything_at_slack_events() -> None:
    m = build_manifest("https://q.acme.test/")
    url = "https://q.acme.test/slack/events"
    assert m["features"]["slash_commands"][0]["url"] == url
    assert m["settings"]["event_subscriptions"]["request_url"] == url
    assert m["settings"]["interactivity"]["request_url"] == url
    assert m["settings"]["socket_mode_enabled"] is False
    assert m["features"]["shortcuts"][0]["name"] == "Rate this interaction"
    assert m["features"]["app_home"]["home_tab_enabled"] is True
    assert m["settings"]["event_subscriptions"]["bot_events"] == BOT_EVENTS


def test_socket_mode_manifest_has_no_request_urls() -> None:
    text = manifest_yaml("https://q.acme.test", socket_mode=True)
    m = yaml.safe_load(text)
    assert m["settings"]["socket_mode_enabled"] is True
    assert "slack/events" not in text


def test_scopes_are_exactly_what_the_product_uses() -> None:
    scopes = set(build_manifest(None)["oauth_config"]["scopes"]["bot"])
    assert scopes == {
        "commands",
        "chat:write",
        "users:read",
        "users:read.email",
        "usergroups:read",
        "channels:read",
        "groups:read",
        "channels:join",
        "reactions:read",
        "channels:history",
        "groups:history",
        "files:write",
        "im:write",
        "im:history",
    }
    # Never broader than needed: no admin, no user-token or write-to-everything scopes.
    assert not any(s.startswith(("admin", "chat:write.")) for s in scopes)
