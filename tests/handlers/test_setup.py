"""Set up from Slack: an admin's App Home has the first-run checklist and the Departments
editor; a department added, edited and retired there is in effect at once, and audit-logged."""

import json
from typing import Any

from bot.config import DepartmentConfig
from bot.people import managed
from bot.people.directory import REFRESH_EVERY
from models.audit import DEPARTMENT, SAMPLE_POLL, AuditEntry
from models.department import FROM_SLACK, Department, Membership, SlackName
from models.survey import Poll
from tests.conftest import Harness
from tests.handlers.poll_flows import reaction
from tests.support import block_action, eventually, home_opened, until, view_submission

ADMIN = "U0ADMIN01"
LEGAL_HELP = "C0LEGALHP1"
LEGAL_TEAM = "C0LEGALTM1"


async def admin_home(h: Harness, user: str = ADMIN) -> str:
    """The Home `user` sees when they open it, as JSON text."""
    published = len(h.slack.calls_to("views.publish"))
    await h.event(home_opened(user), event_id=f"EvHome{published}{user}")
    await eventually(lambda: len(h.slack.calls_to("views.publish")) > published)
    return json.dumps(h.slack.calls_to("views.publish")[-1].params["view"])


def editor_values(
    name: str,
    *,
    slug: str | None = None,
    channels: list[str] | None = None,
    members: list[str] | None = None,
    managers: list[str] | None = None,
    team_channel: str | None = None,
    usergroup: str | None = None,
    keywords: str | None = None,
    promise: str | None = None,
    target: str | None = None,
    reasons_low: str | None = None,
) -> dict[str, Any]:
    """The editor's state as Slack sends it on submission: every input, empty ones null."""

    def plain(value: str | None) -> dict[str, Any]:
        return {"type": "plain_text_input", "value": value}

    values: dict[str, Any] = {
        "name": {"name": plain(name)},
        "channels": {
            "channels": {
                "type": "multi_conversations_select",
                "selected_conversations": channels or [],
            }
        },
        "members": {"members": {"type": "multi_users_select", "selected_users": members or []}},
        "managers": {"managers": {"type": "multi_users_select", "selected_users": managers or []}},
        "alert_channel": {
            "alert_channel": {"type": "conversations_select", "selected_conversation": None}
        },
        "team_channel": {
            "team_channel": {
                "type": "conversations_select",
                "selected_conversation": team_channel,
            }
        },
        "usergroup": {
            "usergroup": {
                "type": "static_select",
                "selected_option": (
                    {"text": {"type": "plain_text", "text": "@legal"}, "value": usergroup}
                    if usergroup
                    else None
                ),
            }
        },
        "keywords": {"keywords": plain(keywords)},
        "promise": {"promise": plain(promise)},
        "target": {"target": {"type": "number_input", "value": target}},
        "resolve_within_hours": {"resolve_within_hours": {"type": "number_input", "value": None}},
        "reasons_low": {"reasons_low": plain(reasons_low)},
        "reasons_high": {"reasons_high": plain(None)},
    }
    if slug is not None:
        values["slug"] = {"slug": plain(slug)}
    return values


async def submit_editor(
    h: Harness, values: dict[str, Any], *, editing: str | None = None, user: str = ADMIN
) -> Any:
    metadata = json.dumps({"slug": editing})
    response = await h.interact(
        view_submission(user, "department_editor", values, private_metadata=metadata)
    )
    assert response.status == 200
    text = await response.text()
    return json.loads(text) if text else None


def legal(h: Harness) -> None:
    h.slack.add_channel(LEGAL_HELP, name="legal-help")
    h.slack.add_channel(LEGAL_TEAM, name="legal-team")


async def test_an_admin_adds_a_department_that_polls_at_once(harness: Harness) -> None:
    legal(harness)
    harness.slack.add_usergroup("S0LEGAL01", ["U0LEG0002"])
    home = await admin_home(harness)
    assert "Departments" in home and "department_add" in home
    assert "From quality.yml: changed there." in home  # IT and Finance come from the file

    await harness.interact(block_action(ADMIN, "department_add", value="add"))
    [opened] = await harness.slack.wait_for("views.open")
    modal = opened.params["view"]
    kinds = {b["block_id"]: b["element"]["type"] for b in modal["blocks"] if b["type"] == "input"}
    assert kinds["channels"] == "multi_conversations_select"
    assert kinds["managers"] == kinds["members"] == "multi_users_select"
    assert kinds["usergroup"] == "static_select" and kinds["target"] == "number_input"

    answer = await submit_editor(
        harness,
        editor_values(
            "Legal & Compliance", channels=[LEGAL_HELP], members=["U0LEG0001"],
            managers=["U0LEG0001"], usergroup="S0LEGAL01", team_channel=LEGAL_TEAM,
            keywords="contract, nda", promise="Contracts reviewed within two days",
            target="4.2", reasons_low="slow\nunclear",
        ),
    )  # fmt: skip
    assert answer is None  # accepted: the modal closes

    quality = harness.services.quality.current
    dept = quality.department("legal-compliance")
    assert dept is not None and dept.channels == (LEGAL_HELP,)
    assert dept.standard and dept.standard.target == 4.2
    assert quality.reasons("legal-compliance", "low") == ("slow", "unclear")
    row = await Department.get(slug="legal-compliance")
    assert row.origin == FROM_SLACK and row.active
    [entry] = await AuditEntry.filter(action=DEPARTMENT)
    assert (entry.actor, entry.subject) == (ADMIN, "legal-compliance")
    assert "added Legal & Compliance" in entry.detail
    await until(lambda: Membership.exists(user_id="U0LEG0002", source="usergroup"))

    # A served request in Legal's channel asks its author about Legal, no restart needed.
    harness.slack.add_message(LEGAL_HELP, "1763456500.000100", user="U0FIN0001", text="NDA?")
    served = reaction(
        reactor="U0LEG0001", item={"type": "message", "channel": LEGAL_HELP,
                                   "ts": "1763456500.000100"},
    )  # fmt: skip
    await harness.event(served, event_id="EvLegal1")
    await until(lambda: Poll.filter(department__slug="legal-compliance").exists())


async def test_an_admin_edits_and_retires_a_department_made_in_slack(harness: Harness) -> None:
    legal(harness)
    await submit_editor(
        harness, editor_values("Legal", channels=[LEGAL_HELP], managers=["U0LEG0001"])
    )
    home = await admin_home(harness)
    assert '"value": "legal"' in home and "department_retire" in home

    await harness.interact(block_action(ADMIN, "department_edit", value="legal"))
    [opened] = await harness.slack.wait_for("views.open")
    modal = opened.params["view"]
    assert json.loads(modal["private_metadata"]) == {"slug": "legal"}
    assert "slug" not in [b.get("block_id") for b in modal["blocks"]]  # it cannot change
    channels = next(b for b in modal["blocks"] if b.get("block_id") == "channels")
    assert channels["element"]["initial_conversations"] == [LEGAL_HELP]

    await submit_editor(
        harness,
        editor_values("Legal", channels=[LEGAL_HELP, LEGAL_TEAM], managers=["U0LEG0002"]),
        editing="legal",
    )
    dept = harness.services.quality.current.department("legal")
    assert dept is not None and dept.channels == (LEGAL_HELP, LEGAL_TEAM)
    assert dept.managers == ("U0LEG0002",)
    assert not await Membership.exists(user_id="U0LEG0001", department__slug="legal")

    await harness.interact(block_action(ADMIN, "department_retire", value="legal"))

    async def retired() -> bool:
        return harness.services.quality.current.department("legal") is None

    await until(retired)
    assert await Department.exists(slug="legal", active=False)  # its history stays
    details = [e.detail for e in await AuditEntry.filter(action=DEPARTMENT).order_by("id")]
    assert [d.split()[0] for d in details] == ["added", "edited", "retired"]


async def test_a_quality_yml_department_is_changed_in_the_file_only(harness: Harness) -> None:
    answer = await submit_editor(
        harness, editor_values("IT, renamed", channels=["C0ITHELP1"]), editing="it"
    )
    assert answer["response_action"] == "errors"
    assert answer["errors"] == {"name": "IT is defined in quality.yml: change it there"}
    assert harness.services.quality.current.department("it").name == "IT"  # type: ignore[union-attr]

    await harness.interact(block_action(ADMIN, "department_retire", value="it"))
    await harness.slack.wait_for("chat.postMessage")
    assert await Department.exists(slug="it", active=True)
    assert not await AuditEntry.exists(action=DEPARTMENT)


async def test_a_new_department_cannot_take_a_slug_or_channel_in_use(harness: Harness) -> None:
    legal(harness)
    # "Finance again" makes the slug finance-again: free. A slug given by hand is checked too.
    assert await submit_editor(harness, editor_values("Finance again")) is None
    same = await submit_editor(harness, editor_values("Money", slug="finance"))
    assert same["errors"] == {"slug": "`finance` is already the short name of a department: "
                                       "choose another"}  # fmt: skip
    channel = await submit_editor(harness, editor_values("Help", channels=["C0ITHELP1"]))
    assert channel["errors"] == {"channels": "<#C0ITHELP1> is already a service channel of IT"}
    invalid = await submit_editor(harness, editor_values("Odd", slug="Not A Slug", target="9"))
    assert set(invalid["errors"]) == {"slug", "target"}


async def test_only_admins_see_or_use_the_editor(harness: Harness) -> None:
    home = await admin_home(harness, user="U0IT00001")  # IT's manager, not an admin
    assert "department_add" not in home and "Set-up checklist" not in home

    answer = await submit_editor(harness, editor_values("Legal"), user="U0IT00001")
    assert answer["errors"] == {"name": "Only admins may change departments."}
    await harness.interact(block_action("U0IT00001", "department_add", value="add"))
    await harness.interact(block_action("U0IT00001", "department_retire", value="it"))
    assert harness.slack.calls_to("views.open") == []
    assert not await Department.exists(slug="legal")


def checklist_rows(h: Harness) -> dict[str, str]:
    """The checklist's channel rows of the Home last published: channel -> its button."""
    blocks = h.slack.calls_to("views.publish")[-1].params["view"]["blocks"]
    return {
        b["accessory"]["value"]: b["accessory"]["action_id"]
        for b in blocks
        if b.get("accessory", {}).get("action_id") in ("setup_join", "setup_invite")
    }


async def test_the_checklist_names_channels_the_bot_is_not_in(harness: Harness) -> None:
    harness.slack.remove_bot("C0ITTEAM1")  # public: the bot can join it
    harness.slack.add_channel("C0FINANCE", name="finance", private=True, bot_member=False)
    home = await admin_home(harness)
    assert "Set-up checklist" in home
    assert "is not in <#C0ITTEAM1> (IT's alert channel)" in home
    assert "is not in <#C0FINANCE> (Finance's service channel)" in home
    assert checklist_rows(harness) == {"C0ITTEAM1": "setup_join", "C0FINANCE": "setup_invite"}

    await harness.interact(block_action(ADMIN, "setup_join", value="C0ITTEAM1"))
    await harness.slack.wait_for("conversations.join")
    assert "U0BOT" in harness.slack.channels["C0ITTEAM1"].members
    await admin_home(harness)
    assert checklist_rows(harness) == {"C0FINANCE": "setup_invite"}

    await harness.interact(block_action(ADMIN, "setup_invite", value="C0FINANCE"))
    [told] = await harness.slack.wait_for("chat.postMessage")
    assert told.params["channel"] == ADMIN
    assert "/invite @quality-bot" in told.params["text"] and "<#C0FINANCE>" in told.params["text"]


async def test_a_sample_poll_shows_an_admin_what_people_get(harness: Harness) -> None:
    home = await admin_home(harness)
    assert ":white_large_square: See what people get" in home

    await harness.interact(block_action(ADMIN, "setup_sample_poll", value="sample"))
    [sent] = await harness.slack.wait_for("chat.postMessage")
    assert sent.params["channel"] == ADMIN
    blocks = json.dumps(sent.params["blocks"])
    assert "poll_score_1" in blocks and "Clicking stores nothing" in blocks
    await until(lambda: AuditEntry.exists(action=SAMPLE_POLL, actor=ADMIN))

    dm = harness.slack.messages[harness.slack.dm_channel(ADMIN)][-1]
    container = {"type": "message", "channel_id": harness.slack.dm_channel(ADMIN),
                 "message_ts": dm["ts"]}  # fmt: skip
    click = block_action(
        ADMIN, "poll_score_4", value="sample", container=container,
        response_url=harness.slack.response_url("sample"),
    )  # fmt: skip
    await harness.interact(click)
    [replaced] = await harness.slack.wait_for_response("sample")
    assert replaced["text"] == "Sample answered with a 4: nothing was stored."
    assert await Poll.all().count() == 0


async def test_a_change_made_on_another_instance_takes_effect_within_seconds(
    harness: Harness,
) -> None:
    # Another instance saved Legal: its row and members are in the shared database, and this
    # instance was told nothing.
    legal(harness)
    quality = harness.services.quality.current
    dept = DepartmentConfig(slug="legal", name="Legal", channels=(LEGAL_HELP,),
                            managers=("U0LEG0001",))  # fmt: skip
    assert await managed.add(dept, quality, actor=ADMIN, now=harness.services.clock()) is None

    async def in_effect() -> bool:
        return harness.services.quality.current.department("legal") is not None

    await until(in_effect, within=REFRESH_EVERY * 3)

    assert await managed.retire("legal", actor=ADMIN, now=harness.services.clock()) is None

    async def retired() -> bool:
        return harness.services.quality.current.department("legal") is None

    await until(retired, within=REFRESH_EVERY * 3)


async def test_an_erased_person_leaves_the_departments_made_in_slack(harness: Harness) -> None:
    legal(harness)
    await submit_editor(
        harness,
        editor_values("Legal", channels=[LEGAL_HELP], members=["U0LEG0002"],
                      managers=["U0LEG0001", "U0LEG0002"]),
    )  # fmt: skip
    await SlackName.create(kind="user", name="@vera", slack_id="U0LEG0001",
                           resolved_at=harness.services.clock())  # fmt: skip

    await harness.command("forget <@U0LEG0001|vera>", user_id=ADMIN)
    [answer] = await harness.slack.wait_for_response()

    dept = harness.services.quality.current.department("legal")
    assert dept is not None and dept.managers == ("U0LEG0002",)
    row = await Department.get(slug="legal")
    assert "U0LEG0001" not in json.dumps(row.settings)
    assert not await SlackName.exists(slack_id="U0LEG0001")
    assert "1 department managed in Slack listing them" in answer["text"]
    assert "Still listed" not in json.dumps(answer)
