"""Acme's people and channels, as the Slack stand-in knows them.

Who belongs to which department is quality.yml's business (its `members`, and IT's user
group below); this module only gives the ids names, e-mail addresses and channels.
"""

from collections.abc import Mapping

from bot.config import QualityConfig
from bot.slack_standin import SlackStandIn

DOMAIN = "acme.example"
ADMIN = "U0ADMIN01"
IT_TEAM = "S0IT00001"
IT_TEAM_HANDLE = "it-team"

PEOPLE: Mapping[str, str] = {
    ADMIN: "alex",  # runs the company's Slack; in no department
    # IT, through the user group
    "U0IT00001": "ines", "U0IT00002": "tom", "U0IT00003": "aiko", "U0IT00004": "jonas",
    "U0IT00005": "priya", "U0IT00006": "mateo", "U0IT00007": "nina",
    # Finance
    "U0FIN0001": "farah", "U0FIN0002": "oskar", "U0FIN0003": "lea", "U0FIN0004": "david",
    "U0FIN0005": "yuki",
    # Logistics
    "U0LOG0001": "lars", "U0LOG0002": "marta", "U0LOG0003": "kemal", "U0LOG0004": "sofia",
    "U0LOG0005": "piotr", "U0LOG0006": "emma", "U0LOG0007": "ravi",
    # HR
    "U0HR00001": "greta", "U0HR00002": "noah", "U0HR00003": "amara", "U0HR00004": "felix",
    # Facilities
    "U0FAC0001": "bruno", "U0FAC0002": "ingrid", "U0FAC0003": "omar", "U0FAC0004": "clara",
    "U0FAC0005": "henrik",
    # Customer Support
    "U0CS00001": "chloe", "U0CS00002": "diego", "U0CS00003": "hanna", "U0CS00004": "malik",
    "U0CS00005": "julia", "U0CS00006": "luca", "U0CS00007": "zoe",
    # Legal
    "U0LEG0001": "vera", "U0LEG0002": "anton", "U0LEG0003": "mira",
    # Sales
    "U0EMP0001": "sam", "U0SAL0002": "paula", "U0SAL0003": "ben", "U0SAL0004": "elif",
    "U0SAL0005": "kai", "U0SAL0006": "rosa", "U0SAL0007": "tariq",
    # Travel: the travel desk, added from App Home as the demo starts
    "U0TRV0001": "iris", "U0TRV0002": "moritz", "U0TRV0003": "selin",
}  # fmt: skip

USERGROUPS: Mapping[str, tuple[str, ...]] = {
    IT_TEAM: tuple(user for user in PEOPLE if user.startswith("U0IT")),
}

CHANNELS: Mapping[str, str] = {
    "C0ITHELP1": "it-help", "C0ITTEAM1": "it-team", "C0ITKUDOS": "it-kudos",
    "C0FINHELP": "finance-help",
    "C0LOGHELP": "logistics-help", "C0LOGTEAM": "logistics-team",
    "C0HRHELP1": "ask-hr",
    "C0FACHELP": "facilities", "C0FACTEAM": "facilities-team",
    "C0CSDESK1": "support-desk", "C0CSTEAM1": "support-team",
    "C0LEGHELP": "ask-legal",
    "C0SALDESK": "sales-desk",
    "C0DIGEST01": "quality-digest",
    "C0GENERAL1": "general",
    "C0TRAVEL01": "travel-desk",  # Travel's, a department added from App Home in the demo
}  # fmt: skip


def email(user_id: str) -> str:
    return f"{PEOPLE[user_id]}@{DOMAIN}"


def furnish(slack: SlackStandIn) -> None:
    """Put Acme's people, IT's user group and the channels into the stand-in's workspace."""
    for user_id, name in PEOPLE.items():
        slack.add_user(
            user_id,
            name=name,
            real_name=name.capitalize(),
            email=email(user_id),
            tz="Europe/Berlin",
        )
    for group, users in USERGROUPS.items():
        slack.add_usergroup(group, list(users), handle=IT_TEAM_HANDLE, name="IT team")
    # The admin who installed the bot invited it to each channel quality.yml names: Slack lets
    # a bot read and post only where it is a member.
    for channel, name in CHANNELS.items():
        slack.add_channel(channel, name=name)


def members(quality: QualityConfig) -> dict[str, tuple[str, ...]]:
    """Department slug → its people, from quality.yml and the user groups, in config order."""
    found: dict[str, tuple[str, ...]] = {}
    for dept in quality.departments:
        people = list(dept.members)
        if dept.usergroup is not None:
            people += [u for u in USERGROUPS.get(dept.usergroup, ()) if u not in people]
        found[dept.slug] = tuple(people)
    return found


def department_of(quality: QualityConfig) -> dict[str, str]:
    """User id → the slug of their (first) department: the rater department of their ratings."""
    found: dict[str, str] = {}
    for slug, people in members(quality).items():
        for user in people:
            found.setdefault(user, slug)
    return found
