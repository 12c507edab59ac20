"""What every service needs, bundled once at start-up."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.config import Settings
from bot.store.db import Store


@dataclass
class BotContext:
    store: Store
    clock: Clock
    settings: Settings
