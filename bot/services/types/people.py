"""Who is acting: the person record every use case receives (the store's frozen record)."""

from __future__ import annotations

from bot.store.records import PersonRecord, WorkspaceRecord

__all__ = ["PersonRecord", "WorkspaceRecord"]
