"""Workspaces as installs: their Enterprise Grid org, an uninstall, and forgetting one whole.

Bolt's installation store keys a bot token by (enterprise id, team id), or by the enterprise id
alone for an org-wide install. The bot learns a workspace's org from the requests it gets and
from the OAuth install (``bot/store/installations.py``), and keeps it on the workspace row so
the scheduler can find the token without a request in hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from bot.store.db import affected
from bot.store.models import Delivery, Person, Workspace
from bot.store.people import get_or_create_workspace


@dataclass(frozen=True)
class InstallRecord:
    team_id: str
    enterprise_id: str | None
    enterprise_install: bool
    uninstalled_at: datetime | None


def install_of(session: Session, team_id: str) -> InstallRecord | None:
    row = session.get(Workspace, team_id)
    if row is None:
        return None
    return InstallRecord(team_id=row.team_id, enterprise_id=row.enterprise_id,
                         enterprise_install=bool(row.enterprise_install), uninstalled_at=row.uninstalled_at)


def note_install(session: Session, team_id: str, enterprise_id: str | None, enterprise_install: bool,
                 now: datetime) -> None:
    """Record which org ``team_id`` belongs to and that the app is installed there (again)."""
    get_or_create_workspace(session, team_id, now)
    session.execute(update(Workspace).where(Workspace.team_id == team_id).values(
        enterprise_id=enterprise_id, enterprise_install=enterprise_install, uninstalled_at=None))


def reinstalled_org(session: Session, enterprise_id: str) -> None:
    """An org-wide install: every workspace of the org known to the bot gets things again."""
    session.execute(update(Workspace).where(Workspace.enterprise_id == enterprise_id).values(
        enterprise_install=True, uninstalled_at=None))


def mark_uninstalled(session: Session, *, team_id: str | None, enterprise_id: str | None, whole_org: bool,
                     now: datetime) -> int:
    """Stop everything for the workspace (or, for an org-wide uninstall, every workspace of the org).

    An earlier uninstall keeps its time, so a repeated event does not postpone the deletion.
    """
    if whole_org and enterprise_id:
        where = or_(Workspace.enterprise_id == enterprise_id, Workspace.team_id == team_id)
    elif team_id:
        where = Workspace.team_id == team_id
    else:
        return 0
    return affected(session.execute(update(Workspace).where(where, Workspace.uninstalled_at.is_(None))
                                    .values(uninstalled_at=now).execution_options(synchronize_session=False)))


def uninstalled_before(session: Session, cutoff: datetime) -> list[str]:
    return list(session.scalars(select(Workspace.team_id).where(Workspace.uninstalled_at < cutoff)
                                .order_by(Workspace.team_id)))


def delete_workspace(session: Session, team_id: str) -> bool:
    """Delete the workspace and everything kept about it: people (and all that hangs off them, by
    cascade), the delivery ledger's rows, the workspace row. False for an unknown workspace."""
    if session.get(Workspace, team_id) is None:
        return False
    session.execute(delete(Delivery).where(Delivery.team_id == team_id).execution_options(synchronize_session=False))
    session.execute(delete(Person).where(Person.team_id == team_id).execution_options(synchronize_session=False))
    session.execute(delete(Workspace).where(Workspace.team_id == team_id).execution_options(synchronize_session=False))
    session.expunge_all()
    return True
