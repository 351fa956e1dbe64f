"""The Web API methods the stand-in answers, by name. Anything else is `unknown_method`."""

from collections.abc import Callable

from bot.slack_standin.methods import (
    channel_directory,
    chat,
    conversations,
    directory,
    files,
    views,
)
from bot.slack_standin.workspace import JSON, Workspace

Handler = Callable[[Workspace, JSON], JSON]


def all_methods() -> dict[str, Handler]:
    return {
        "auth.test": directory.auth_test,
        "users.info": directory.users_info,
        "users.lookupByEmail": directory.users_lookup_by_email,
        "users.list": directory.users_list,
        "usergroups.list": directory.usergroups_list,
        "usergroups.users.list": directory.usergroups_users_list,
        "chat.postMessage": chat.post_message,
        "chat.update": chat.update,
        "chat.delete": chat.delete,
        "chat.postEphemeral": chat.post_ephemeral,
        "conversations.open": conversations.open_conversation,
        "conversations.history": conversations.history,
        "conversations.replies": conversations.replies,
        "conversations.info": conversations.info,
        "conversations.list": channel_directory.list_conversations,
        "conversations.join": channel_directory.join,
        "views.open": views.open_view,
        "views.push": views.push,
        "views.publish": views.publish,
        "views.update": views.update,
        "files.getUploadURLExternal": files.get_upload_url,
        "files.completeUploadExternal": files.complete_upload,
    }
