"""Where OAuth installs keep their tokens: slack_sdk's SQLAlchemy store, failing like every store call.

Bolt looks the installation up before any listener runs. A database that is down then raised a
driver error through Bolt's middleware (a 500 and a traceback); here it is
:class:`~bot.errors.DatabaseUnavailable`, which ``bot/slack/errors.py`` answers by request kind.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy.exc import SQLAlchemyError

from bot.store.db import translate


class LeadInstallationStore(SQLAlchemyInstallationStore):
    def find_installation(self, **kwargs: Any) -> Installation | None:
        try:
            return super().find_installation(**kwargs)
        except SQLAlchemyError as exc:
            raise translate(exc) from exc

    def find_bot(self, **kwargs: Any) -> Bot | None:
        try:
            return super().find_bot(**kwargs)
        except SQLAlchemyError as exc:
            raise translate(exc) from exc
