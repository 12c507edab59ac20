"""Showing the progress picture in a DM: draw it, upload it unshared, post the message that shows it.

The upload (``files_upload_v2`` without a channel) shares the file nowhere: on its own it is
invisible. Only the message whose image block names the file puts it in front of the person, and
that post is the one step that must happen exactly once. For the monthly picture the scheduler's
ledger and message metadata guarantee that, exactly as for any scheduled message; an upload
repeated after a crash leaves at most an unshared file nobody sees. ``/lead chart`` uses the same
two steps.
"""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.services.types.home import ProgressPicture
from bot.views.chart import render_chart
from bot.views.nudges import PICTURE_FILENAME, picture_alt_text, picture_title, progress_picture_message


def picture_message(client: WebClient, picture: ProgressPicture, *, monthly: bool) -> dict[str, Any]:
    """Upload the drawn picture (shared nowhere) and return the message that shows it.

    Raises SlackApiError or SlackRequestError when Slack refuses the upload.
    """
    png = render_chart(picture.chart)
    uploaded = client.files_upload_v2(content=png, filename=PICTURE_FILENAME, title=picture_title(picture),
                                      alt_txt=picture_alt_text(picture))
    return progress_picture_message(picture, str(uploaded["file"]["id"]), monthly=monthly)
