"""Export and forget: what erasing a person did."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Forgotten:
    found: bool
    posts_deleted: int = 0
    posts_failed: int = 0
