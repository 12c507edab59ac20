"""The progress picture's cost: matplotlib's import, the render time and the PNG size.

Prints the first render in a fresh interpreter (import included), then the median and slowest of
``--runs`` renders in this one, for 12 weeks and for 2 weeks of data, and the PNG sizes. Run:
``python bench/chart_render.py [--runs 20]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.coaching.learning import last_weeks  # noqa: E402
from bot.services.types.home import ChartData  # noqa: E402
from bot.views.chart import render_chart  # noqa: E402

FIRST_RENDER = """
import sys, time
sys.path.insert(0, {root!r})
started = time.perf_counter()
from bench.chart_render import chart
from bot.views.chart import render_chart
render_chart(chart(12))
print(time.perf_counter() - started)
"""


def chart(weeks: int) -> ChartData:
    window = last_weeks("2026-W48", weeks)
    keys = ("personality", "upskilling", "delegation", "progress")
    return ChartData(weeks=window,
                     ratings={k: tuple(None if (n + i) % 7 == 6 else 1 + (n + i) % 5 for n in range(weeks))
                              for i, k in enumerate(keys)},
                     minutes=tuple(15 * ((n * 3) % 7) for n in range(weeks)), streak=weeks, longest=weeks,
                     today=date(2026, 11, 23))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    first = subprocess.run([sys.executable, "-c", FIRST_RENDER.format(root=str(ROOT))], capture_output=True,
                           text=True, check=True)
    print(f"first render in a fresh process (matplotlib import included): {float(first.stdout):.2f} s")
    for weeks in (12, 2):
        times, size = [], 0
        for _ in range(args.runs):
            started = time.perf_counter()
            size = len(render_chart(chart(weeks)))
            times.append(time.perf_counter() - started)
        print(f"{weeks:>2} weeks: median {statistics.median(times) * 1000:.0f} ms, slowest {max(times) * 1000:.0f} ms "
              f"over {args.runs} renders; PNG {size:,} bytes (1200 x 800)")


if __name__ == "__main__":
    main()
