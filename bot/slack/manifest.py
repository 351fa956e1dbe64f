"""The Slack app manifest: everything Slack needs to know to create the app, and no more."""

from typing import Any

import yaml

# One line each on why: reviewers of a Slack app ask, and so do workspace admins.
BOT_SCOPES = [
    "commands",  # /quality and the "Rate this interaction" shortcut
    "chat:write",  # polls by DM, the digest, alerts; DMs are posted to the user id directly
    "users:read",  # names and time zones of people who agree to be contacted
    "users:read.email",  # internal tools may name the requester by email
    "usergroups:read",  # department members synced from a Slack user group
    "channels:read",  # quality.yml may name a channel (#it-help): found in the channel list
    "groups:read",  # ...or a private one the bot is in
    "channels:join",  # an admin's "Join" in the set-up checklist: public channels only
    "reactions:read",  # a resolved reaction in a service channel triggers a poll
    "channels:history",  # ...and the poll names the request, read from a public channel
    "groups:history",  # ...or from a private one
    "files:write",  # the digest's chart
    "im:write",  # a poll, reminder or digest DM that timed out: find its conversation…
    "im:history",  # …and whether it was sent, so that nobody gets it twice
]
BOT_EVENTS = ["app_home_opened", "reaction_added"]
RATE_SHORTCUT_CALLBACK_ID = "rate_interaction"
DEFAULT_PUBLIC_URL = "https://quality-bot.example.com"


def build_manifest(public_url: str | None, *, socket_mode: bool = False) -> dict[str, Any]:
    base = (public_url or DEFAULT_PUBLIC_URL).rstrip("/")
    events_url = f"{base}/slack/events"
    command: dict[str, Any] = {
        "command": "/quality",
        "description": "Service quality between departments and with customers",
        "usage_hint": "help | rate [department] | report [department] [weeks] | departments | "
        "digest [post] | export [department] | privacy | optout | optin | forget @user",
        # Mentions then arrive as <@U…|name>, which is how `forget @user` finds the person.
        "should_escape": True,
    }
    event_subscriptions: dict[str, Any] = {"bot_events": BOT_EVENTS}
    interactivity: dict[str, Any] = {"is_enabled": True}
    if not socket_mode:
        command["url"] = events_url
        event_subscriptions["request_url"] = events_url
        interactivity["request_url"] = events_url
    return {
        "display_information": {
            "name": "Quality Bot",
            "description": "Rate the help other departments give you; see how customers rate us.",
            "long_description": (
                "Quality Bot asks you, after another department has helped you, how it went: "
                "one click from 1 to 5, an optional comment, stored without your name. Customer "
                "reviews arrive too. Every week a digest shows each department how it serves "
                "colleagues and customers, and /quality answers questions in between. Figures "
                "from groups smaller than the privacy threshold are never shown to anyone."
            ),
            "background_color": "#1d3b53",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": True,
            },
            "bot_user": {"display_name": "quality-bot", "always_online": True},
            "slash_commands": [command],
            "shortcuts": [
                {
                    "name": "Rate this interaction",
                    "type": "message",
                    "callback_id": RATE_SHORTCUT_CALLBACK_ID,
                    "description": "Rate the department that helped you here",
                }
            ],
        },
        "oauth_config": {"scopes": {"bot": BOT_SCOPES}},
        "settings": {
            "event_subscriptions": event_subscriptions,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": socket_mode,
            "token_rotation_enabled": False,
        },
    }


def manifest_yaml(public_url: str | None, *, socket_mode: bool = False) -> str:
    return yaml.safe_dump(
        build_manifest(public_url, socket_mode=socket_mode), sort_keys=False, allow_unicode=True
    )
