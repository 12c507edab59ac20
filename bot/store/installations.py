"""Where OAuth installs keep their tokens: slack_sdk's SQLAlchemy store, failing like every store call.

Bolt looks the installation up before any listener runs. A database that is down then raised a
driver error through Bolt's middleware (a 500 and a traceback); here it is
:class:`~bot.errors.DatabaseUnavailable`, which ``bot/slack/errors.py`` answers by request kind.

Saving an installation (a new install, a reinstall, a rotated token) also records the
workspace's Enterprise Grid org on its row and clears an earlier uninstall
(``bot/store/workspaces.py``): the scheduler finds the token by that org.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.store import workspaces
from bot.store.db import translate


class LeadInstallationStore(SQLAlchemyInstallationStore):
    def __init__(self, client_id: str, engine: Engine,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        super().__init__(client_id=client_id, engine=engine)
        self._now = now

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

    def save(self, installation: Installation) -> None:
        try:
            super().save(installation)
            with Session(self.engine) as session, session.begin():
                if installation.team_id:
                    workspaces.note_install(session, installation.team_id, installation.enterprise_id,
                                            bool(installation.is_enterprise_install), self._now())
                elif installation.enterprise_id:
                    workspaces.reinstalled_org(session, installation.enterprise_id)
        except SQLAlchemyError as exc:
            raise translate(exc) from exc

    def save_bot(self, bot: Bot) -> None:
        try:
            super().save_bot(bot)
        except SQLAlchemyError as exc:
            raise translate(exc) from exc
