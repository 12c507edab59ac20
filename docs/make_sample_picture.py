"""Draw docs/progress-picture.png: the progress picture for a fictional person, with made-up data.

The same renderer the bot uses (``bot/views/chart.py``), so the README shows exactly what a
person receives. Run from the repository root: ``python docs/make_sample_picture.py``.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.coaching.learning import last_weeks  # noqa: E402
from bot.services.types.home import ChartData  # noqa: E402
from bot.views.chart import render_chart  # noqa: E402

OUT = ROOT / "docs" / "progress-picture.png"


def sample_chart() -> ChartData:
    """Twelve fictional weeks: delegation climbs from 2 to 4, one week off, learning most weeks."""
    weeks = last_weeks("2026-W48", 12)
    ratings = {
        "personality": (3, 3, 3, 4, 4, None, 4, 4, 4, 5, 4, 4),
        "upskilling": (2, 3, 3, 3, 2, None, 3, 4, 4, 4, 3, 4),
        "delegation": (2, 2, 2, 3, 3, None, 3, 3, 4, 4, 4, 4),
        "progress": (3, 3, 4, 3, 3, None, 3, 4, 3, 4, 4, 5),
    }
    minutes = (30, 45, 20, 60, 25, 0, 90, 40, 55, 30, 75, 25)
    return ChartData(weeks=weeks, ratings=ratings, minutes=minutes, streak=6, longest=6, today=date(2026, 11, 23))


def main() -> None:
    OUT.write_bytes(render_chart(sample_chart()))
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
