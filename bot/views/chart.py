"""The progress picture: a person's last 12 weeks as a PNG (pure: chart data in, PNG bytes out).

Drawn for Slack's preview, where a picture shows about 360 px wide on a phone: the image is
1200 x 800 px (150 dpi) with type large enough to stay legible at a third of that size. Colours
come from the Okabe-Ito palette, which people with the common colour-vision deficiencies tell
apart, and every foundation also has its own marker and line style, so the picture still reads
in greyscale. Lines that share a value are nudged apart slightly so none hides another.

matplotlib is imported inside :func:`render_chart` only, with its Agg canvas and no pyplot (no
global figure state, no GUI backend): importing the bot, or answering a request that draws
nothing, never pays for it.
"""

from __future__ import annotations

import io
import math
import threading
from typing import Final

from bot.coaching.foundations import FOUNDATIONS
from bot.coaching.weeks import week_monday
from bot.services.types.home import ChartData
from bot.views.dates import weeks_label

WIDTH_PX: Final = 1200
HEIGHT_PX: Final = 800
DPI: Final = 150

# Okabe-Ito: blue, orange, bluish green, reddish purple; sky blue for the minutes.
STYLES: Final[dict[str, tuple[str, str, str, str]]] = {  # foundation -> (label, colour, marker, line style)
    "personality": ("Personality", "#0072B2", "o", "-"),
    "upskilling": ("Upskilling", "#E69F00", "s", "--"),
    "delegation": ("Delegation", "#009E73", "^", "-."),
    "progress": ("Progress", "#CC79A7", "D", ":"),
}
MINUTES_COLOUR: Final = "#56B4E9"
INK: Final = "#222222"
GRID: Final = "#D0D0D0"
MISSING: Final = "#EEEEEE"  # the background of a week without a check-in
NUDGE: Final = 0.07  # rating units between lines that share a value

# Text sizes in points; at 150 dpi, 15 pt is 31 px: still about 10 px in a 360 px wide preview.
TITLE_PT: Final = 22
SUBTITLE_PT: Final = 16
LABEL_PT: Final = 15
TICK_PT: Final = 14
LEGEND_PT: Final = 13
VALUE_PT: Final = 12
NOTE_PT: Final = 12

_drawing = threading.Lock()  # matplotlib's text and font caches are not made for concurrent drawing


def render_chart(data: ChartData) -> bytes:
    """The PNG of ``data``: ratings per foundation on top, learning minutes below, the streak in the title."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    weeks = list(data.weeks)
    xs = list(range(len(weeks)))
    with _drawing:
        figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, facecolor="white")
        FigureCanvasAgg(figure)
        grid = figure.add_gridspec(2, 1, height_ratios=(3, 2), hspace=0.12, left=0.09, right=0.98, top=0.76,
                                   bottom=0.11)
        ratings = figure.add_subplot(grid[0])
        minutes = figure.add_subplot(grid[1], sharex=ratings)

        figure.text(0.09, 0.965, f"Your last {len(weeks)} weeks", fontsize=TITLE_PT, fontweight="bold", color=INK,
                    va="top")
        streak = f"streak {data.streak} week{'s' if data.streak != 1 else ''}"
        if data.longest > data.streak:
            streak += f" (longest {data.longest})"
        figure.text(0.09, 0.895, f"{weeks_label(data.weeks, data.today)}  ·  {streak}", fontsize=SUBTITLE_PT,
                    color=INK, va="top")

        for x in xs:
            if all(data.ratings.get(key, ())[x] is None for key in FOUNDATIONS if data.ratings.get(key)):
                ratings.axvspan(x - 0.5, x + 0.5, color=MISSING, linewidth=0)
                ratings.text(x, 3, "no check-in", rotation=90, ha="center", va="center", fontsize=NOTE_PT,
                             color="#666666")
        for index, key in enumerate(FOUNDATIONS):
            label, colour, marker, style = STYLES[key]
            offset = (index - (len(FOUNDATIONS) - 1) / 2) * NUDGE
            values = [r + offset if r is not None else math.nan for r in data.ratings.get(key, ())]
            ratings.plot(xs, values, color=colour, marker=marker, linestyle=style, linewidth=2.6, markersize=9,
                         markeredgecolor="white", markeredgewidth=1.0, label=label)
        ratings.set_ylim(0.6, 5.4)
        ratings.set_yticks([1, 2, 3, 4, 5])
        ratings.set_ylabel("Rating", fontsize=LABEL_PT, color=INK)
        ratings.grid(axis="y", color=GRID, linewidth=0.8)
        ratings.legend(loc="lower left", bbox_to_anchor=(-0.01, 1.0), ncol=4, frameon=False, fontsize=LEGEND_PT,
                       handlelength=2.2, columnspacing=1.0, borderaxespad=0.4)

        bars = minutes.bar(xs, data.minutes, width=0.62, color=MINUTES_COLOUR, edgecolor="#2B6C8F", linewidth=1.0)
        top = max(data.minutes, default=0)
        minutes.set_ylim(0, max(60, top * 1.3))
        minutes.set_ylabel("Learning min", fontsize=LABEL_PT, color=INK)
        minutes.grid(axis="y", color=GRID, linewidth=0.8)
        for bar, value in zip(bars, data.minutes, strict=True):
            if value > 0:
                minutes.annotate(str(value), (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                                 xytext=(0, 3), textcoords="offset points", ha="center", va="bottom",
                                 fontsize=VALUE_PT, color=INK)

        minutes.set_xticks(xs)
        minutes.set_xticklabels([_tick(week) for week in weeks])
        minutes.set_xlim(-0.6, len(weeks) - 0.4)
        for axes in (ratings, minutes):
            axes.set_axisbelow(True)
            axes.tick_params(labelsize=TICK_PT, colors=INK)
            for side in ("top", "right"):
                axes.spines[side].set_visible(False)
        ratings.tick_params(labelbottom=False)

        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    return out.getvalue()


def _tick(week: str) -> str:
    """The week's Monday on two lines (``7`` over ``Sep``), narrow enough for twelve side by side."""
    monday = week_monday(week)
    return f"{monday.day}\n{monday:%b}"
