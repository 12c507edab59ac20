"""The coaching prompt library: TOML files under ``prompts/``, validated in full at load.

Layout: ``prompts/<kind>/<foundation>.toml``, each file a list of ``[[prompt]]`` tables (see
``prompts/README.md``). Every problem a prompt could cause at send time -- a bad key, a template
that does not compile, a variable nobody passes, text too long for a Slack section -- is found
here, when the bot starts, so a broken prompt never reaches a person's DM.

Templates are Jinja2 run in a sandbox with ``StrictUndefined``. Every ``{{ expression }}`` output
goes through :func:`bot.mrkdwn.escape`, so a person's name such as ``<!channel>`` is shown, not
obeyed. Only the library's own files are compiled as templates; what people write is only ever
passed in as a variable value.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

from jinja2 import StrictUndefined, Template, TemplateError, meta
from jinja2.sandbox import SandboxedEnvironment

from bot.coaching.foundations import FOUNDATION_LABELS, FOUNDATIONS, TRACK_LABELS, TRACKS
from bot.mrkdwn import escape

KINDS: Final[tuple[str, ...]] = ("upskilling", "reflection")

TITLE_MAX: Final = 60
BODY_MAX: Final = 2_500
ACTION_MAX: Final = 500
MINUTES_RANGE: Final = (5, 240)
MIN_PER_FOUNDATION: Final = 12
MIN_PER_TRACK: Final = 6

_ID_PATTERN: Final = re.compile(r"^(?P<kind>[a-z]+)\.(?P<foundation>[a-z]+)\.(?P<number>[0-9]{2,3})$")
_REQUIRED: Final = ("id", "tracks", "title", "body", "action")
_KNOWN_KEYS: Final = frozenset((*_REQUIRED, "minutes"))
# A literal "<" in a prompt would be a Slack control sequence (ping, mention, link) that no
# reviewer sees in the source; a lone "&" is invalid mrkdwn. Both must be written as entities.
_RAW_AMPERSAND: Final = re.compile(r"&(?!(?:amp|lt|gt);)")

_Fail = Callable[[str], "LibraryError"]
"""Builds the error for one prompt, already prefixed with its file and id."""

"""Variables every template may use; ``minutes`` only in upskilling prompts (reflection has none)."""


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

    def suits(self, track: str | None) -> bool:
        """True when this prompt is meant for ``track``; a person with no track yet gets any."""
        return track is None or track in self.tracks


@dataclass(frozen=True)
class RenderedPrompt:
    """A prompt ready for a message: title is plain text, body and action are mrkdwn."""

    prompt_id: str
    title: str
    body: str
    action: str


class LibraryError(Exception):
    """A library file or prompt is invalid; the message names the file, the prompt and the fault."""

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
    """All prompts, with their templates compiled once."""

    def __init__(self, prompts: tuple[Prompt, ...], templates: Mapping[str, tuple[Template, Template]]) -> None:
        self.prompts = prompts
        self._by_id = {prompt.id: prompt for prompt in prompts}
        self._templates = dict(templates)

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

    def counts(self) -> dict[tuple[str, str, str], int]:
        """(kind, foundation, track) -> how many prompts suit that track, zeros included."""
        return {
            (kind, foundation, track): sum(
                1
                for prompt in self.prompts
                if prompt.kind == kind and prompt.foundation == foundation and track in prompt.tracks
            )
            for kind in KINDS
            for foundation in FOUNDATIONS
            for track in TRACKS
        }


def default_prompts_dir() -> Path:
    """``<repo>/prompts``: the library ships beside the ``bot`` package in the source tree."""
    return Path(__file__).resolve().parent.parent.parent / "prompts"


def load_library(
    directory: Path | None = None,
    *,
    min_per_foundation: int = MIN_PER_FOUNDATION,
    min_per_track: int = MIN_PER_TRACK,
) -> PromptLibrary:
    """Load and validate every prompt under ``directory``; raise LibraryError on the first problem.

    The minimums keep the choice rule from running dry: with 8 weeks before a prompt may repeat,
    each (kind, foundation, track) needs enough prompts to fill that window.
    """
    root = directory if directory is not None else default_prompts_dir()
    if not root.is_dir():
        raise LibraryError(f"{root}: prompt directory not found", path=str(root))
    env = _environment()
    prompts: list[Prompt] = []
    templates: dict[str, tuple[Template, Template]] = {}
    origin: dict[str, str] = {}
    for path in sorted(root.rglob("*.toml")):
        label = _label(root, path)
        kind, foundation = _kind_and_foundation(root, path, label)
        for index, table in enumerate(_read_tables(path, label), start=1):
            prompt, compiled = _validate(table, index, kind=kind, foundation=foundation, label=label, env=env)
            if prompt.id in origin:
                raise LibraryError(
                    f"{label}: prompt {prompt.id!r}: duplicate id, already used in {origin[prompt.id]}",
                    path=label,
                    prompt_id=prompt.id,
                )
            origin[prompt.id] = label
            prompts.append(prompt)
            templates[prompt.id] = compiled
    library = PromptLibrary(tuple(prompts), templates)
    _check_minimums(library, root, min_per_foundation=min_per_foundation, min_per_track=min_per_track)
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
            f"and foundation in {FOUNDATIONS}",
            path=label,
        )
    return parts[0], path.stem


def _read_tables(path: Path, label: str) -> list[dict[str, Any]]:
    """The file's ``[[prompt]]`` tables; any other top-level content is an error."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LibraryError(f"{label}: not valid TOML: {exc}", path=label) from exc
    unknown = sorted(set(data) - {"prompt"})
    if unknown:
        raise LibraryError(
            f"{label}: unknown top-level key(s) {unknown}; only [[prompt]] tables belong here", path=label
        )
    tables = data.get("prompt", [])
    if not isinstance(tables, list) or not all(isinstance(table, dict) for table in tables):
        raise LibraryError(f"{label}: 'prompt' must be written as [[prompt]] tables", path=label)
    return tables


def _validate(
    table: dict[str, Any], index: int, *, kind: str, foundation: str, label: str, env: SandboxedEnvironment
) -> tuple[Prompt, tuple[Template, Template]]:
    """Check one ``[[prompt]]`` table and compile its templates."""
    raw_id = table.get("id")
    prompt_id = raw_id if isinstance(raw_id, str) else None
    name = f"prompt {prompt_id!r}" if prompt_id else f"prompt #{index} (no valid id)"

    def fail(problem: str) -> LibraryError:
        return LibraryError(f"{label}: {name}: {problem}", path=label, prompt_id=prompt_id)

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
    tracks = _check_tracks(table["tracks"], fail=fail)
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
    )
    return prompt, compiled


def _check_id(prompt_id: str, *, kind: str, foundation: str, fail: _Fail) -> None:
    match = _ID_PATTERN.match(prompt_id)
    if match is None:
        raise fail("id must look like '<kind>.<foundation>.<nn>', e.g. 'upskilling.delegation.03'")
    if (match["kind"], match["foundation"]) != (kind, foundation):
        raise fail(f"id says {match['kind']}/{match['foundation']} but the file is {kind}/{foundation}.toml")


def _check_tracks(value: object, *, fail: _Fail) -> frozenset[str]:
    if not isinstance(value, list) or not value or not all(isinstance(track, str) for track in value):
        raise fail(f"'tracks' must be a non-empty list of track names from {TRACKS}")
    unknown = sorted(set(value) - set(TRACKS))
    if unknown:
        raise fail(f"unknown track(s) {unknown}; expected some of {TRACKS}")
    if len(set(value)) != len(value):
        raise fail("'tracks' lists a track twice")
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
    if "<" in text or ">" in text:
        raise fail(f"{key!r} contains '<' or '>'; Slack reads them as markup, write &lt; or &gt;")
    if _RAW_AMPERSAND.search(text):
        raise fail(f"{key!r} contains a bare '&'; write &amp; (or 'and')")


def _check_minimums(library: PromptLibrary, root: Path, *, min_per_foundation: int, min_per_track: int) -> None:
    """Enough prompts everywhere that the 8-week no-repeat rule never leaves a person empty-handed."""
    for kind in KINDS:
        for foundation in FOUNDATIONS:
            label = f"{root.name}/{kind}/{foundation}.toml"
            found = len(library.of(kind, foundation))
            if found < min_per_foundation:
                raise LibraryError(
                    f"{label}: has {found} prompts; at least {min_per_foundation} are required", path=label
                )
    for (kind, foundation, track), found in library.counts().items():
        if found < min_per_track:
            label = f"{root.name}/{kind}/{foundation}.toml"
            raise LibraryError(
                f"{label}: only {found} prompts suit track {track!r}; at least {min_per_track} are required",
                path=label,
            )
