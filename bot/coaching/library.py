"""The coaching prompt library: TOML files under ``bot/prompts/``, validated in full at load.

Layout (see ``bot/prompts/README.md``):

- ``prompts/<kind>/<foundation>.toml``: a list of ``[[prompt]]`` tables, each declaring the tracks
  and roles it suits and what it requires of the person (direct reports, an active goal, a team
  channel);
- ``prompts/pairing/<pairing kind>.toml``: a list of ``[[question]]`` tables, the questions a
  practice pair gets to start with.

Every problem a prompt could cause at send time -- a bad key, a template that does not compile, a
variable nobody passes, text too long for a Slack section -- is found here, when the bot starts, so
a broken prompt never reaches a person's DM.

Coverage guarantee: for every kind × foundation × role × track, the prompts a person meeting *no*
requirement could receive number at least ``MIN_ELIGIBLE`` (12), enough for twelve weeks on one
focus without a repeat. The loader refuses a library that falls short and names the combination.
Every pairing kind has at least ``MIN_PAIRING_QUESTIONS`` questions.

Templates are Jinja2 run in a sandbox with ``StrictUndefined``. Every ``{{ expression }}`` output
goes through :func:`bot.mrkdwn.escape`, so a person's name such as ``<!channel>`` is shown, not
obeyed. Only the library's own files are compiled as templates; what people write is only ever
passed in as a variable value.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

from jinja2 import StrictUndefined, Template, TemplateError, meta
from jinja2.sandbox import SandboxedEnvironment

from bot.coaching.foundations import (
    FOUNDATION_LABELS,
    FOUNDATIONS,
    PAIRING_KINDS,
    REQUIREMENTS,
    ROLES,
    TRACK_LABELS,
    TRACKS,
)
from bot.mrkdwn import escape
from bot.resources import PROMPTS_DIR

KINDS: Final[tuple[str, ...]] = ("upskilling", "reflection")

TITLE_MAX: Final = 60
BODY_MAX: Final = 2_500
ACTION_MAX: Final = 500
MINUTES_RANGE: Final = (5, 240)
MIN_ELIGIBLE: Final = 12
"""Prompts each kind × foundation × role × track offers a person who meets no requirement."""
PAIRING_DIR: Final = "pairing"
QUESTION_MAX: Final = 300
MIN_PAIRING_QUESTIONS: Final = 8

_ID_PATTERN: Final = re.compile(r"^(?P<kind>[a-z]+)\.(?P<foundation>[a-z]+)\.(?P<number>[0-9]{2,3})$")
_QUESTION_ID_PATTERN: Final = re.compile(r"^pairing\.(?P<kind>[a-z_]+)\.(?P<number>[0-9]{2,3})$")
_REQUIRED: Final = ("id", "tracks", "roles", "title", "body", "action")
_KNOWN_KEYS: Final = frozenset((*_REQUIRED, "minutes", "requires"))
_QUESTION_KEYS: Final = frozenset(("id", "text"))
# A literal "<" in a prompt would be a Slack control sequence (ping, mention, link) that no
# reviewer sees in the source; a lone "&" is invalid mrkdwn. Both must be written as entities.
_RAW_AMPERSAND: Final = re.compile(r"&(?!(?:amp|lt|gt);)")

_Fail = Callable[[str], "LibraryError"]
"""Builds the error for one prompt, already prefixed with its file and id."""


@dataclass(frozen=True)
class Prompt:
    """One prompt as written in the library; ``body`` and ``action`` are Jinja2 sources."""

    id: str
    kind: str
    foundation: str
    tracks: frozenset[str]
    title: str
    body: str
    action: str
    minutes: int | None
    roles: frozenset[str]
    requires: frozenset[str]

    def suits(self, track: str | None) -> bool:
        """True when this prompt is meant for ``track``; a person with no track yet gets any."""
        return track is None or track in self.tracks

    def fits(self, role: str, met: Collection[str]) -> bool:
        """True when this prompt suits ``role`` and assumes nothing beyond the requirements ``met``."""
        return role in self.roles and self.requires.issubset(met)


@dataclass(frozen=True)
class PairingQuestion:
    """One conversation starter for a practice pair; ``text`` is plain mrkdwn, never a template."""

    id: str
    kind: str
    text: str


@dataclass(frozen=True)
class RenderedPrompt:
    """A prompt ready for a message: title is plain text, body and action are mrkdwn."""

    prompt_id: str
    title: str
    body: str
    action: str


class LibraryError(Exception):
    """A library file, prompt or question is invalid; the message names the file, the id and the fault.

    ``prompt_id`` holds the id of the prompt or pairing question at fault, when it has one.
    """

    def __init__(self, message: str, *, path: str | None = None, prompt_id: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.prompt_id = prompt_id


def _environment() -> SandboxedEnvironment:
    """The one Jinja2 setup used for every prompt (sandboxed, strict, escaping every output)."""
    return SandboxedEnvironment(
        undefined=StrictUndefined,
        finalize=escape,
        autoescape=False,
        keep_trailing_newline=False,
    )


def _context(
    kind: str, *, first_name: str, track_label: str, focus_label: str, week: str, minutes: int | None
) -> dict[str, Any]:
    """The variables a template of ``kind`` sees; ``minutes`` means nothing to a reflection."""
    context: dict[str, Any] = {
        "first_name": first_name.strip() or "there",
        "track_label": track_label,
        "focus_label": focus_label,
        "week": week,
    }
    if kind == "upskilling":
        context["minutes"] = minutes if minutes is not None else 0
    return context


def _sample_contexts(kind: str, minutes: int | None) -> list[dict[str, Any]]:
    """Contexts used to prove at load time that each template renders: full and all-empty.

    The full one uses the longest labels so the length check covers real messages.
    """
    longest = {
        "first_name": "Maximiliane-Alexandra",
        "track_label": max(TRACK_LABELS.values(), key=len),
        "focus_label": max(FOUNDATION_LABELS.values(), key=len),
        "week": "2026-W48",
    }
    empty = {"first_name": "there", "track_label": "", "focus_label": "", "week": ""}
    return [_context(kind, minutes=minutes, **values) for values in (longest, empty)]


class PromptLibrary:
    """All prompts, with their templates compiled once, and the pairing questions."""

    def __init__(
        self,
        prompts: tuple[Prompt, ...],
        templates: Mapping[str, tuple[Template, Template]],
        questions: tuple[PairingQuestion, ...] = (),
    ) -> None:
        self.prompts = prompts
        self.questions = questions
        self._by_id = {prompt.id: prompt for prompt in prompts}
        self._templates = dict(templates)

    def pairing_questions(self, kind: str) -> list[PairingQuestion]:
        """The questions for a pair practising ``kind``, in library order."""
        if kind not in PAIRING_KINDS:
            raise ValueError(f"unknown pairing kind {kind!r}; expected one of {PAIRING_KINDS}")
        return [question for question in self.questions if question.kind == kind]

    def get(self, prompt_id: str) -> Prompt | None:
        """The prompt with this id, or None (an id from old history may have been retired)."""
        return self._by_id.get(prompt_id)

    def of(self, kind: str, foundation: str | None = None) -> list[Prompt]:
        """Prompts of ``kind``, optionally of one ``foundation``, in library order."""
        if kind not in KINDS:
            raise ValueError(f"unknown prompt kind {kind!r}; expected one of {KINDS}")
        if foundation is not None and foundation not in FOUNDATIONS:
            raise ValueError(f"unknown foundation {foundation!r}; expected one of {FOUNDATIONS}")
        return [
            prompt
            for prompt in self.prompts
            if prompt.kind == kind and (foundation is None or prompt.foundation == foundation)
        ]

    def render(
        self,
        prompt: Prompt,
        *,
        first_name: str = "there",
        track_label: str = "",
        focus_label: str = "",
        week: str = "",
    ) -> RenderedPrompt:
        """Fill in ``prompt`` for one person; every variable value is mrkdwn-escaped."""
        if self._by_id.get(prompt.id) != prompt:
            raise LibraryError(f"prompt {prompt.id!r} is not part of this library", prompt_id=prompt.id)
        body_template, action_template = self._templates[prompt.id]
        context = _context(
            prompt.kind,
            first_name=first_name,
            track_label=track_label,
            focus_label=focus_label,
            week=week,
            minutes=prompt.minutes,
        )
        return RenderedPrompt(
            prompt_id=prompt.id,
            title=prompt.title,
            body=body_template.render(context).strip(),
            action=action_template.render(context).strip(),
        )

    def counts(self, met: Collection[str] = ()) -> dict[tuple[str, str, str, str], int]:
        """(kind, foundation, role, track) -> prompts a person there may receive, zeros included.

        ``met`` is the requirements the person meets: none by default, the case the coverage
        guarantee is about; ``REQUIREMENTS`` gives the most a person could receive.
        """
        table = {
            (kind, foundation, role, track): 0
            for kind in KINDS
            for foundation in FOUNDATIONS
            for role in ROLES
            for track in TRACKS
        }
        for prompt in self.prompts:
            if not prompt.requires.issubset(met):
                continue
            for role in prompt.roles:
                for track in prompt.tracks:
                    table[(prompt.kind, prompt.foundation, role, track)] += 1
        return table


def default_prompts_dir() -> Path:
    """The library that ships inside the package (``bot/prompts``, see bot/resources.py)."""
    return PROMPTS_DIR


def load_library(
    directory: Path | None = None,
    *,
    min_eligible: int = MIN_ELIGIBLE,
    min_pairing_questions: int = MIN_PAIRING_QUESTIONS,
) -> PromptLibrary:
    """Load and validate every prompt and question under ``directory``; raise LibraryError on the first problem.

    The minimums keep the choice rule from running dry (see the module docstring); tests of the
    loader itself pass 0 to load small fixture libraries.
    """
    root = directory if directory is not None else default_prompts_dir()
    if not root.is_dir():
        raise LibraryError(f"{root}: prompt directory not found", path=str(root))
    env = _environment()
    prompts: list[Prompt] = []
    questions: list[PairingQuestion] = []
    templates: dict[str, tuple[Template, Template]] = {}
    origin: dict[str, str] = {}

    def claim(item_id: str, what: str, label: str) -> None:
        if item_id in origin:
            raise LibraryError(
                f"{label}: {what} {item_id!r}: duplicate id, already used in {origin[item_id]}",
                path=label,
                prompt_id=item_id,
            )
        origin[item_id] = label

    for path in sorted(root.rglob("*.toml")):
        label = _label(root, path)
        if path.relative_to(root).parts[0] == PAIRING_DIR:
            pairing_kind = _pairing_kind(root, path, label)
            for index, table in enumerate(_read_tables(path, label, key="question"), start=1):
                question = _validate_question(table, index, kind=pairing_kind, label=label)
                claim(question.id, "question", label)
                questions.append(question)
            continue
        kind, foundation = _kind_and_foundation(root, path, label)
        for index, table in enumerate(_read_tables(path, label, key="prompt"), start=1):
            prompt, compiled = _validate(table, index, kind=kind, foundation=foundation, label=label, env=env)
            claim(prompt.id, "prompt", label)
            prompts.append(prompt)
            templates[prompt.id] = compiled
    library = PromptLibrary(tuple(prompts), templates, tuple(questions))
    _check_coverage(library, root, min_eligible=min_eligible)
    _check_pairing(library, root, min_questions=min_pairing_questions)
    return library


@lru_cache(maxsize=1)
def default_library() -> PromptLibrary:
    """The shipped library, loaded once per process (it never changes while the bot runs)."""
    return load_library()


def _label(root: Path, path: Path) -> str:
    """How a file is named in error messages, e.g. ``prompts/upskilling/delegation.toml``."""
    return f"{root.name}/{path.relative_to(root).as_posix()}"


def _kind_and_foundation(root: Path, path: Path, label: str) -> tuple[str, str]:
    """Kind and foundation from ``<kind>/<foundation>.toml``; anything else is a misplaced file."""
    parts = path.relative_to(root).parts
    if len(parts) != 2 or parts[0] not in KINDS or path.stem not in FOUNDATIONS:
        raise LibraryError(
            f"{label}: prompt files must be <kind>/<foundation>.toml with kind in {KINDS} "
            f"and foundation in {FOUNDATIONS} (or {PAIRING_DIR}/<pairing kind>.toml)",
            path=label,
        )
    return parts[0], path.stem


def _pairing_kind(root: Path, path: Path, label: str) -> str:
    """The pairing kind from ``pairing/<kind>.toml``; anything else is a misplaced file."""
    parts = path.relative_to(root).parts
    if len(parts) != 2 or path.stem not in PAIRING_KINDS:
        raise LibraryError(
            f"{label}: pairing files must be {PAIRING_DIR}/<kind>.toml with kind in {PAIRING_KINDS}", path=label
        )
    return path.stem


def _read_tables(path: Path, label: str, *, key: str) -> list[dict[str, Any]]:
    """The file's ``[[<key>]]`` tables; any other top-level content is an error."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LibraryError(f"{label}: not valid TOML: {exc}", path=label) from exc
    unknown = sorted(set(data) - {key})
    if unknown:
        raise LibraryError(
            f"{label}: unknown top-level key(s) {unknown}; only [[{key}]] tables belong here", path=label
        )
    tables = data.get(key, [])
    if not isinstance(tables, list) or not all(isinstance(table, dict) for table in tables):
        raise LibraryError(f"{label}: {key!r} must be written as [[{key}]] tables", path=label)
    return tables



def _identify(
    table: dict[str, Any], index: int, noun: str, label: str
) -> tuple[str | None, Callable[[str], LibraryError]]:
    """A table's id (if it has a valid one) and how to report a problem with it, naming the file and the table."""
    raw_id = table.get("id")
    table_id = raw_id if isinstance(raw_id, str) else None
    name = f"{noun} {table_id!r}" if table_id else f"{noun} #{index} (no valid id)"

    def fail(problem: str) -> LibraryError:
        return LibraryError(f"{label}: {name}: {problem}", path=label, prompt_id=table_id)

    return table_id, fail


def _validate(
    table: dict[str, Any], index: int, *, kind: str, foundation: str, label: str, env: SandboxedEnvironment
) -> tuple[Prompt, tuple[Template, Template]]:
    """Check one ``[[prompt]]`` table and compile its templates."""
    prompt_id, fail = _identify(table, index, "prompt", label)
    unknown = sorted(set(table) - _KNOWN_KEYS)
    if unknown:
        raise fail(f"unknown key(s) {unknown}; allowed: {sorted(_KNOWN_KEYS)}")
    for key in _REQUIRED:
        if key not in table:
            raise fail(f"missing required key {key!r}")
    for key in ("id", "title", "body", "action"):
        if not isinstance(table[key], str):
            raise fail(f"{key!r} must be a string")
    _check_id(table["id"], kind=kind, foundation=foundation, fail=fail)
    tracks = _check_names(table["tracks"], key="tracks", allowed=TRACKS, what="track", fail=fail)
    roles = _check_names(table["roles"], key="roles", allowed=ROLES, what="role", fail=fail)
    requires = _check_names(
        table.get("requires", []), key="requires", allowed=REQUIREMENTS, what="requirement", fail=fail, empty_ok=True
    )
    title = _check_title(table["title"], fail=fail)
    minutes = _check_minutes(table.get("minutes"), present="minutes" in table, kind=kind, fail=fail)
    compiled = _compile_and_try(table["body"], table["action"], kind=kind, minutes=minutes, env=env, fail=fail)
    prompt = Prompt(
        id=table["id"],
        kind=kind,
        foundation=foundation,
        tracks=tracks,
        title=title,
        body=table["body"],
        action=table["action"],
        minutes=minutes,
        roles=roles,
        requires=requires,
    )
    return prompt, compiled


def _check_id(prompt_id: str, *, kind: str, foundation: str, fail: _Fail) -> None:
    match = _ID_PATTERN.match(prompt_id)
    if match is None:
        raise fail("id must look like '<kind>.<foundation>.<nn>', e.g. 'upskilling.delegation.03'")
    if (match["kind"], match["foundation"]) != (kind, foundation):
        raise fail(f"id says {match['kind']}/{match['foundation']} but the file is {kind}/{foundation}.toml")


def _check_names(
    value: object, *, key: str, allowed: tuple[str, ...], what: str, fail: _Fail, empty_ok: bool = False
) -> frozenset[str]:
    """A list of names from ``allowed`` (tracks, roles, requirements), each at most once."""
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value) or not (value or empty_ok):
        size = "a list" if empty_ok else "a non-empty list"
        raise fail(f"{key!r} must be {size} of {what} names from {allowed}")
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise fail(f"unknown {what}(s) {unknown} in {key!r}; expected some of {allowed}")
    if len(set(value)) != len(value):
        raise fail(f"{key!r} lists a {what} twice")
    return frozenset(value)


def _check_title(title: str, *, fail: _Fail) -> str:
    # Titles go into a plain_text header as written; a template marker there would be shown raw.
    if not title.strip():
        raise fail("'title' is empty")
    if len(title) > TITLE_MAX:
        raise fail(f"'title' is {len(title)} characters; the limit is {TITLE_MAX}")
    if "{{" in title or "{%" in title:
        raise fail("'title' is plain text, not a template")
    return title


def _check_minutes(value: object, *, present: bool, kind: str, fail: _Fail) -> int | None:
    if kind == "reflection":
        if present:
            raise fail("'minutes' belongs to upskilling prompts only; remove it from this reflection")
        return None
    if not present:
        raise fail("upskilling prompts need 'minutes' (suggested minutes for the action)")
    low, high = MINUTES_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise fail(f"'minutes' must be a whole number from {low} to {high}")
    return value


def _compile_and_try(
    body: str, action: str, *, kind: str, minutes: int | None, env: SandboxedEnvironment, fail: _Fail
) -> tuple[Template, Template]:
    """Compile both templates and render them with sample contexts to catch send-time errors."""
    allowed = set(_sample_contexts(kind, minutes)[0])
    compiled: list[Template] = []
    for key, source, limit in (("body", body, BODY_MAX), ("action", action, ACTION_MAX)):
        if not source.strip():
            raise fail(f"{key!r} is empty")
        try:
            unknown = sorted(meta.find_undeclared_variables(env.parse(source)) - allowed)
            template = env.from_string(source)
        except TemplateError as exc:
            raise fail(f"{key!r} is not a valid template: {exc}") from exc
        if unknown:
            raise fail(f"{key!r} uses unknown variable(s) {unknown}; available: {sorted(allowed)}")
        for context in _sample_contexts(kind, minutes):
            _try_render(template, context, key=key, limit=limit, fail=fail)
        compiled.append(template)
    return compiled[0], compiled[1]


def _try_render(template: Template, context: dict[str, Any], *, key: str, limit: int, fail: _Fail) -> None:
    try:
        text = template.render(context).strip()
    except TemplateError as exc:
        raise fail(f"{key!r} does not render: {exc}") from exc
    if not text:
        raise fail(f"{key!r} renders to nothing")
    if len(text) > limit:
        raise fail(f"{key!r} renders to {len(text)} characters; the limit is {limit}")
    _check_markup(text, key=key, fail=fail)


def _check_markup(text: str, *, key: str, fail: _Fail) -> None:
    if "<" in text or ">" in text:
        raise fail(f"{key!r} contains '<' or '>'; Slack reads them as markup, write &lt; or &gt;")
    if _RAW_AMPERSAND.search(text):
        raise fail(f"{key!r} contains a bare '&'; write &amp; (or 'and')")


def _validate_question(table: dict[str, Any], index: int, *, kind: str, label: str) -> PairingQuestion:
    """Check one ``[[question]]`` table: an id matching its file and a short plain text."""
    question_id, fail = _identify(table, index, "question", label)
    unknown = sorted(set(table) - _QUESTION_KEYS)
    if unknown:
        raise fail(f"unknown key(s) {unknown}; allowed: {sorted(_QUESTION_KEYS)}")
    for key in sorted(_QUESTION_KEYS):
        if key not in table:
            raise fail(f"missing required key {key!r}")
        if not isinstance(table[key], str):
            raise fail(f"{key!r} must be a string")
    match = _QUESTION_ID_PATTERN.match(table["id"])
    if match is None:
        raise fail("id must look like 'pairing.<kind>.<nn>', e.g. 'pairing.mentoring.03'")
    if match["kind"] != kind:
        raise fail(f"id says {match['kind']} but the file is {PAIRING_DIR}/{kind}.toml")
    text = table["text"].strip()
    if not text:
        raise fail("'text' is empty")
    if len(text) > QUESTION_MAX:
        raise fail(f"'text' is {len(text)} characters; the limit is {QUESTION_MAX}")
    # Questions are sent as written: a template marker would reach the person unrendered.
    if "{{" in text or "{%" in text or "{#" in text:
        raise fail("'text' is plain mrkdwn, not a template; template variables are not available here")
    _check_markup(text, key="text", fail=fail)
    return PairingQuestion(id=table["id"], kind=kind, text=text)


def _check_coverage(library: PromptLibrary, root: Path, *, min_eligible: int) -> None:
    """Every kind × foundation × role × track gives a person meeting no requirement enough prompts."""
    for (kind, foundation, role, track), found in library.counts().items():
        if found < min_eligible:
            label = f"{root.name}/{kind}/{foundation}.toml"
            raise LibraryError(
                f"{label}: only {found} prompts fit role {role!r} on track {track!r} without requirements "
                f"(direct reports, an active goal, a team channel); at least {min_eligible} are required, "
                f"enough for {min_eligible} weeks on one focus without a repeat",
                path=label,
            )


def _check_pairing(library: PromptLibrary, root: Path, *, min_questions: int) -> None:
    """Every pairing kind has enough questions that a pair's three can vary from round to round."""
    for kind in PAIRING_KINDS:
        found = len(library.pairing_questions(kind))
        if found < min_questions:
            label = f"{root.name}/{PAIRING_DIR}/{kind}.toml"
            raise LibraryError(
                f"{label}: has {found} questions; at least {min_questions} are required", path=label
            )
