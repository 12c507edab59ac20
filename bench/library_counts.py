"""The prompt library's coverage, and what 26 weeks of the choice rule do with it.

Prints, for the shipped library (or ``--dir``):

1. per kind × foundation × role × track, how many prompts a person may receive, as
   ``none/all``: meeting no requirement (the coverage guarantee: at least 12) / meeting all three
   (direct reports, an active goal, a team channel);
2. the pairing questions per kind;
3. a 26-week simulation, one person per role × track × focus × focus mode × requirements
   (none / all), both prompt kinds each week: prompts sent, repeats inside the 8-week window,
   prompts sent again after it, the steps that chose them (focus, mix, widened foundation,
   widened track, repeat), the share that left the focus, and the fewest/most off-focus prompts
   in any 12 consecutive weeks. Ratings keep the focus the weakest foundation and the next one
   (in ``FOUNDATIONS`` order, cyclically) the second weakest; nobody votes or rejects anything.

Run: ``python bench/library_counts.py [--dir PROMPTS] [--weeks 26] [--detail]``.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.coaching.choice import REASONS, REPEAT, PersonFacts, choose_prompt  # noqa: E402
from bot.coaching.focus import AUTO, CHOSEN, effective_focus  # noqa: E402
from bot.coaching.foundations import FOUNDATIONS, PAIRING_KINDS, REQUIREMENTS, ROLES, TRACKS  # noqa: E402
from bot.coaching.library import KINDS, MIN_ELIGIBLE, PromptLibrary, load_library  # noqa: E402
from bot.coaching.weeks import shift_week, weeks_between  # noqa: E402

START_WEEK = "2026-W40"  # the run crosses 2026's week 53
WINDOW = 12


def print_counts(library: PromptLibrary) -> None:
    bare, full = library.counts(), library.counts(REQUIREMENTS)
    print(f"Prompts: {len(library.prompts)}. Eligible per combination, none/all requirements "
          f"(guarantee: none >= {MIN_ELIGIBLE}):")
    for kind in KINDS:
        print(f"\n{kind}")
        print(f"  {'role':<10} {'track':<11}" + "".join(f"{f:>13}" for f in FOUNDATIONS))
        for role in ROLES:
            for track in TRACKS:
                cells = "".join(f"{bare[(kind, f, role, track)]:>8}/{full[(kind, f, role, track)]:<4}"
                                for f in FOUNDATIONS)
                print(f"  {role:<10} {track:<11}{cells}")
    short = sorted(key for key, found in bare.items() if found < MIN_ELIGIBLE)
    print(f"\nLowest with no requirement: {min(bare.values())}; combinations below {MIN_ELIGIBLE}: {len(short)}")
    for key in short:
        print(f"  short: {'/'.join(key)} has {bare[key]}")
    print("\nPairing questions: " + ", ".join(f"{kind} {len(library.pairing_questions(kind))}"
                                             for kind in PAIRING_KINDS))


@dataclass
class Run:
    sent: int = 0
    repeats_inside: int = 0  # sent again within 8 weeks (the rule forbids it while anything fresh fits)
    sent_again: int = 0  # sent again after 8 weeks or more
    reasons: Counter[str] = field(default_factory=Counter)
    off_focus: int = 0
    window_min: int = 10**6
    window_max: int = 0

    def add(self, other: Run) -> None:
        self.sent += other.sent
        self.repeats_inside += other.repeats_inside
        self.sent_again += other.sent_again
        self.reasons.update(other.reasons)
        self.off_focus += other.off_focus
        self.window_min = min(self.window_min, other.window_min)
        self.window_max = max(self.window_max, other.window_max)


def simulate(library: PromptLibrary, *, role: str, track: str, focus: str, mode: str, everything: bool,
             weeks: int) -> Run:
    person = PersonFacts(role=role, track=track, has_active_goal=everything, has_team_channel=everything)
    start = FOUNDATIONS.index(focus)
    ratings = {FOUNDATIONS[(start + i) % len(FOUNDATIONS)]: i + 1 for i in range(len(FOUNDATIONS))}
    state = effective_focus(mode, focus, [ratings] * 4)
    run = Run()
    for kind in KINDS:
        sent: dict[str, str] = {}
        off: list[bool] = []
        week = START_WEEK
        for _ in range(weeks):
            choice = choose_prompt(library.prompts, kind=kind, person=person, focus=state, week=week, sent=sent,
                                   rejected=(), feedback={}, person_key=f"T1:{role}:{track}:{focus}")
            if choice is None:
                off.append(False)
                week = shift_week(week, 1)
                continue
            last = sent.get(choice.prompt.id)
            if last is not None:
                if weeks_between(last, week) < 8:
                    run.repeats_inside += 1
                else:
                    run.sent_again += 1
            run.sent += 1
            run.reasons[choice.reason] += 1
            off.append(choice.prompt.foundation != focus)
            sent[choice.prompt.id] = week
            week = shift_week(week, 1)
        run.off_focus += sum(off)
        for begin in range(max(1, weeks - WINDOW + 1)):
            count = sum(off[begin:begin + WINDOW])
            run.window_min, run.window_max = min(run.window_min, count), max(run.window_max, count)
    return run


def _row(label: str, combos: int, run: Run) -> str:
    share = run.off_focus / run.sent if run.sent else 0.0
    reasons = " ".join(f"{run.reasons[reason]:>5}" for reason in REASONS)
    return (f"{label:<28}{combos:>6}{run.sent:>7}{run.repeats_inside:>8}{run.sent_again:>7} {reasons}"
            f"{share:>8.1%}{run.window_min:>5}-{run.window_max:<3}")


def print_simulation(library: PromptLibrary, weeks: int, detail: bool) -> None:
    short = {"focus": "focus", "mix": "mix", "widened_foundation": "w.fnd", "widened_track": "w.trk", REPEAT: "rep"}
    header = (f"{'':<28}{'combos':>6}{'sent':>7}{'rep<8w':>8}{'again':>7} "
              + " ".join(f"{short[r]:>5}" for r in REASONS) + f"{'off':>8}{'off/12w':>9}")
    print(f"\n{weeks}-week simulation from {START_WEEK}, both kinds, per focus mode and requirements:")
    print(header)
    for mode in (AUTO, CHOSEN):
        for everything in (False, True):
            total, combos = Run(), 0
            lines = []
            for role in ROLES:
                for track in TRACKS:
                    for focus in FOUNDATIONS:
                        run = simulate(library, role=role, track=track, focus=focus, mode=mode,
                                       everything=everything, weeks=weeks)
                        total.add(run)
                        combos += 1
                        if detail:
                            lines.append(_row(f"  {role}/{track}/{focus}", 1, run))
            print(_row(f"{mode}, requirements {'all' if everything else 'none'}", combos, total))
            for line in lines:
                print(line)
    print("\nrep<8w: sent again inside 8 weeks; again: sent again after 8 weeks or more; off: share of prompts "
          "outside the focus; off/12w: fewest-most off-focus prompts in any 12 consecutive weeks (per kind).")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=None, help="prompt directory (default: the shipped one)")
    parser.add_argument("--weeks", type=int, default=26)
    parser.add_argument("--detail", action="store_true", help="one line per role/track/focus")
    args = parser.parse_args()
    # Load without the minimums so a short library is reported, not refused.
    library = load_library(args.dir, min_eligible=0, min_pairing_questions=0)
    print_counts(library)
    print_simulation(library, args.weeks, args.detail)


if __name__ == "__main__":
    main()
