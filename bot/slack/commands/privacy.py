"""``/lead export`` (your data as a file in DM) and ``/lead forget`` (delete it all, after a confirmation)."""

from __future__ import annotations

from bot.services import privacy
from bot.slack.commands.request import CommandRequest
from bot.views.blocks import notice
from bot.views.privacy import (
    NOTHING_STORED,
    export_comment,
    export_failed_text,
    export_sending_text,
    forget_confirmation,
)


def export(req: CommandRequest) -> None:
    document = privacy.export_document(req.ctx, req.user_id)
    if document is None:
        req.ack(**notice(NOTHING_STORED))
        return
    req.ack(**notice(export_sending_text()))
    if not privacy.send_export(req.client, req.user_id, document, export_comment()):
        req.respond(**notice(export_failed_text()), response_type="ephemeral", replace_original=False)


def forget(req: CommandRequest) -> None:
    # Looked up, never created: asking to be forgotten must not be what makes the bot remember you.
    if not privacy.is_known(req.ctx, req.team_id, req.user_id):
        req.ack(**notice(NOTHING_STORED))
        return
    req.ack(**forget_confirmation(req.user_id))

