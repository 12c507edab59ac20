"""Workspaces coming and going: which org a workspace is in, an uninstall, forgetting a workspace.

An uninstall (``app_uninstalled``, or ``tokens_revoked`` naming the bot's token) stops everything
for the workspace at once: the sweeps leave its people and its digest alone, and with OAuth its
tokens are deleted. Its data stays for :data:`GRACE_PERIOD`, so a workspace that removed the app
by mistake and adds it back finds its streaks; after that :func:`prune_uninstalled` (the
scheduler's hourly ``prune`` job) deletes it. ``lead-bot forget-workspace`` deletes it at once.
"""

from __future__ import annotations

import logging
import threading
import weakref
from datetime import timedelta

from bot.services.context import BotContext
from bot.store import workspaces as workspace_store
from bot.store.db import Store
from bot.store.installations import LeadInstallationStore

log = logging.getLogger(__name__)

GRACE_PERIOD = timedelta(days=30)

# Per database: (team, org, org-wide) already recorded by this process; requests then cost no write.
_noted: weakref.WeakKeyDictionary[Store, set[tuple[str, str | None, bool]]] = weakref.WeakKeyDictionary()
_noted_lock = threading.Lock()


def note_request(ctx: BotContext, team_id: str | None, enterprise_id: str | None, enterprise_install: bool) -> None:
    """A request came from ``team_id``: remember its org, and that the app is installed there."""
    if not team_id:
        return
    key = (team_id, enterprise_id, enterprise_install)
    with _noted_lock:
        if key in _noted.get(ctx.store, ()):
            return
    with ctx.store.read() as session:
        known = workspace_store.install_of(session, team_id)
    if known is None and enterprise_id is None:
        # A first contact outside Enterprise Grid has nothing to record: the listener's own first
        # write creates the workspace, after its modal is open (docs/architecture.md).
        return
    if known is None or (known.enterprise_id, known.enterprise_install, known.uninstalled_at) != (
            enterprise_id, enterprise_install, None):
        with ctx.store.session() as session:
            workspace_store.note_install(session, team_id, enterprise_id, enterprise_install, ctx.clock.now())
    with _noted_lock:
        _noted.setdefault(ctx.store, set()).add(key)


def uninstalled(ctx: BotContext, team_id: str | None, enterprise_id: str | None, whole_org: bool) -> int:
    """The app was uninstalled (or its bot token revoked): nothing more goes there. Returns how
    many workspaces that stopped."""
    with ctx.store.session() as session:
        stopped = workspace_store.mark_uninstalled(session, team_id=team_id, enterprise_id=enterprise_id,
                                                   whole_org=whole_org, now=ctx.clock.now())
    _forget_noted(ctx)  # a later request from there is a reinstall, and must be recorded again
    if ctx.settings.oauth:
        _installations(ctx).delete_all(enterprise_id=enterprise_id, team_id=None if whole_org else team_id)
    log.info("the app was uninstalled from %s (org %s): %d workspace(s) stopped; their data is deleted after %d days",
             team_id or "-", enterprise_id or "-", stopped, GRACE_PERIOD.days)
    return stopped


def forget_workspace(ctx: BotContext, team_id: str) -> bool:
    """Delete everything about ``team_id`` now, its tokens included; False for an unknown workspace."""
    with ctx.store.session() as session:
        install = workspace_store.install_of(session, team_id)
        found = workspace_store.delete_workspace(session, team_id)
    if ctx.settings.oauth:
        _installations(ctx).delete_all(enterprise_id=install.enterprise_id if install else None, team_id=team_id)
    _forget_noted(ctx)
    return found


def prune_uninstalled(ctx: BotContext) -> list[str]:
    """Forget every workspace uninstalled more than :data:`GRACE_PERIOD` ago; returns their ids."""
    with ctx.store.session() as session:
        expired = workspace_store.uninstalled_before(session, ctx.clock.now() - GRACE_PERIOD)
    for team_id in expired:
        forget_workspace(ctx, team_id)
        log.info("deleted the data of workspace %s, uninstalled more than %d days ago", team_id, GRACE_PERIOD.days)
    return expired


def _forget_noted(ctx: BotContext) -> None:
    with _noted_lock:
        _noted.pop(ctx.store, None)


def _installations(ctx: BotContext) -> LeadInstallationStore:
    return LeadInstallationStore(client_id=ctx.settings.client_id or "", engine=ctx.store.engine, now=ctx.clock.now)
