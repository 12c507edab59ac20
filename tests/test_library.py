"""The prompt library: the shipped content is complete and safe, and the loader refuses bad files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.coaching.foundations import FOUNDATION_LABELS, FOUNDATIONS, TRACK_LABELS, TRACKS
from bot.coaching.library import (
    KINDS,
    LibraryError,
    Prompt,
    PromptLibrary,
    default_prompts_dir,
    load_library,
)

HOSTILE_NAME = "<!channel> & <https://evil|click>"


@pytest.fixture(scope="module")
def library() -> PromptLibrary:
    return load_library()


# --- the shipped library -------------------------------------------------------------------------


def test_default_directory_is_the_repository_prompts_folder() -> None:
    assert default_prompts_dir() == Path(__file__).resolve().parent.parent / "prompts"


def test_real_library_loads(library: PromptLibrary) -> None:
    assert len(library.prompts) >= 96
    assert len({prompt.id for prompt in library.prompts}) == len(library.prompts)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("foundation", FOUNDATIONS)
def test_each_kind_and_foundation_has_at_least_12_prompts(library: PromptLibrary, kind: str, foundation: str) -> None:
    assert len(library.of(kind, foundation)) >= 12


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("foundation", FOUNDATIONS)
@pytest.mark.parametrize("track", TRACKS)
def test_each_kind_foundation_and_track_has_at_least_6_prompts(
    library: PromptLibrary, kind: str, foundation: str, track: str
) -> None:
    assert library.counts()[(kind, foundation, track)] >= 6


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("foundation", FOUNDATIONS)
def test_each_file_has_two_prompts_specific_to_each_track(library: PromptLibrary, kind: str, foundation: str) -> None:
    for track in TRACKS:
        specific = [p for p in library.of(kind, foundation) if p.tracks == frozenset({track})]
        assert len(specific) >= 2, (kind, foundation, track)


def test_counts_cover_every_combination(library: PromptLibrary) -> None:
    assert set(library.counts()) == {(k, f, t) for k in KINDS for f in FOUNDATIONS for t in TRACKS}


def test_ids_match_kind_and_foundation_and_minutes_match_kind(library: PromptLibrary) -> None:
    for prompt in library.prompts:
        assert re.fullmatch(rf"{prompt.kind}\.{prompt.foundation}\.\d{{2,3}}", prompt.id)
        if prompt.kind == "upskilling":
            # The action must fit in one week's slot: at most an hour.
            assert prompt.minutes is not None and 5 <= prompt.minutes <= 60, prompt.id
        else:
            assert prompt.minutes is None, prompt.id


def test_get_and_of(library: PromptLibrary) -> None:
    first = library.prompts[0]
    assert library.get(first.id) is first
    assert library.get("upskilling.delegation.999") is None
    assert all(p.kind == "reflection" for p in library.of("reflection"))
    with pytest.raises(ValueError):
        library.of("gossip")
    with pytest.raises(ValueError):
        library.of("reflection", "charisma")


def test_every_prompt_renders_safely_with_a_hostile_name(library: PromptLibrary) -> None:
    for prompt in library.prompts:
        rendered = library.render(
            prompt,
            first_name=HOSTILE_NAME,
            track_label=TRACK_LABELS["hybrid"],
            focus_label=FOUNDATION_LABELS["delegation"],
            week="2026-W48",
        )
        assert rendered.prompt_id == prompt.id and rendered.title == prompt.title
        for text in (rendered.body, rendered.action):
            assert "<!" not in text and "<http" not in text, prompt.id
            assert "<" not in text and ">" not in text, prompt.id
            assert text == text.strip() and text, prompt.id
        if "first_name" in prompt.body:
            assert "&lt;!channel&gt; &amp; &lt;https://evil|click&gt;" in rendered.body


def test_every_prompt_renders_with_defaults(library: PromptLibrary) -> None:
    for prompt in library.prompts:
        rendered = library.render(prompt)
        assert "{{" not in rendered.body + rendered.action
        if "first_name" in prompt.body:
            assert "Hi there" in rendered.body, prompt.id


def test_minutes_variable_renders_the_prompts_minutes(library: PromptLibrary) -> None:
    using = [p for p in library.of("upskilling") if "{{ minutes }}" in p.action]
    assert using
    for prompt in using:
        assert f"{prompt.minutes}" in library.render(prompt).action


def test_render_refuses_a_prompt_from_elsewhere(library: PromptLibrary) -> None:
    stranger = Prompt("reflection.progress.99", "reflection", "progress", frozenset(TRACKS), "T", "b", "a", None)
    with pytest.raises(LibraryError):
        library.render(stranger)


# --- the loader on small fixture libraries -------------------------------------------------------


def _table(prompt_id: str, *, tracks: str = '["hybrid"]', title: str = "A title", body: str = "A body.",
           action: str = "Do one thing.", minutes: str | None = "20", extra: str = "") -> str:
    lines = [
        "[[prompt]]",
        f'id = "{prompt_id}"',
        f"tracks = {tracks}",
        f'title = "{title}"',
        f'body = """{body}"""',
        f'action = """{action}"""',
    ]
    if minutes is not None:
        lines.append(f"minutes = {minutes}")
    if extra:
        lines.append(extra)
    return "\n".join(lines) + "\n\n"


def _write(root: Path, relative: str, *tables: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(tables), encoding="utf-8")
    return path


def _load(root: Path) -> PromptLibrary:
    return load_library(root, min_per_foundation=0, min_per_track=0)


def _rejects(root: Path, *fragments: str) -> LibraryError:
    with pytest.raises(LibraryError) as caught:
        _load(root)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message
    return caught.value


def test_fixture_library_loads_and_renders(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "upskilling/delegation.toml",
        _table("upskilling.delegation.01", body="Hi {{ first_name }}.", action="Spend {{ minutes }} minutes."),
    )
    _write(
        tmp_path,
        "reflection/progress.toml",
        _table("reflection.progress.01", minutes=None, tracks='["technical", "management"]'),
    )
    library = _load(tmp_path)
    assert [p.id for p in library.prompts] == ["reflection.progress.01", "upskilling.delegation.01"]
    rendered = library.render(library.get("upskilling.delegation.01"), first_name="<@U1>")  # type: ignore[arg-type]
    assert rendered.body == "Hi &lt;@U1&gt;." and rendered.action == "Spend 20 minutes."
    reflection = library.get("reflection.progress.01")
    assert reflection is not None and reflection.minutes is None
    assert reflection.suits("technical") and reflection.suits(None) and not reflection.suits("hybrid")
    assert library.counts()[("reflection", "progress", "management")] == 1


def test_rejects_duplicate_id_in_one_file(tmp_path: Path) -> None:
    _write(tmp_path, "upskilling/delegation.toml", _table("upskilling.delegation.01"), _table("upskilling.delegation.01"))
    error = _rejects(tmp_path, "upskilling/delegation.toml", "'upskilling.delegation.01'", "duplicate id")
    assert error.prompt_id == "upskilling.delegation.01"


def test_rejects_unknown_track(tmp_path: Path) -> None:
    _write(tmp_path, "upskilling/delegation.toml", _table("upskilling.delegation.01", tracks='["hybrid", "wizard"]'))
    _rejects(tmp_path, "upskilling/delegation.toml", "'upskilling.delegation.01'", "wizard")


def test_rejects_empty_tracks(tmp_path: Path) -> None:
    _write(tmp_path, "upskilling/delegation.toml", _table("upskilling.delegation.01", tracks="[]"))
    _rejects(tmp_path, "'upskilling.delegation.01'", "tracks")


def test_rejects_unknown_key(tmp_path: Path) -> None:
    _write(tmp_path, "upskilling/delegation.toml", _table("upskilling.delegation.01", extra='tone = "cheerful"'))
    _rejects(tmp_path, "upskilling/delegation.toml", "'upskilling.delegation.01'", "tone")


def test_rejects_template_syntax_error(tmp_path: Path) -> None:
    _write(tmp_path, "upskilling/delegation.toml", _table("upskilling.delegation.01", body="Hi {{ first_name "))
    _rejects(tmp_path, "upskilling/delegation.toml", "'upskilling.delegation.01'", "'body'", "not a valid template")


def test_rejects_undefined_variable(tmp_path: Path) -> None:
    _write(tmp_path, "upskilling/delegation.toml", _table("upskilling.delegation.01", action="Email {{ manager_name }}."))
    _rejects(tmp_path, "upskilling/delegation.toml", "'upskilling.delegation.01'", "manager_name")


def test_rejects_minutes_variable_in_a_reflection(tmp_path: Path) -> None:
    _write(tmp_path, "reflection/delegation.toml", _table("reflection.delegation.01", minutes=None, action="Take {{ minutes }}."))
    _rejects(tmp_path, "'reflection.delegation.01'", "minutes")


def test_rejects_missing_minutes_on_upskilling(tmp_path: Path) -> None:
    _write(tmp_path, "upskilling/delegation.toml", _table("upskilling.delegation.01", minutes=None))
    _rejects(tmp_path, "upskilling/delegation.toml", "'upskilling.delegation.01'", "minutes")


@pytest.mark.parametrize("minutes", ["0", "241", "true", '"30"', "12.5"])
def test_rejects_bad_minutes(tmp_path: Path, minutes: str) -> None:
    _write(tmp_path, "upskilling/delegation.toml", _table("upskilling.delegation.01", minutes=minutes))
    _rejects(tmp_path, "'upskilling.delegation.01'", "minutes")


def test_rejects_minutes_on_reflection(tmp_path: Path) -> None:
    _write(tmp_path, "reflection/delegation.toml", _table("reflection.delegation.01", minutes="20"))
    _rejects(tmp_path, "reflection/delegation.toml", "'reflection.delegation.01'", "minutes")


def test_rejects_over_long_title(tmp_path: Path) -> None:
    _write(tmp_path, "upskilling/delegation.toml", _table("upskilling.delegation.01", title="x" * 61))
    _rejects(tmp_path, "upskilling/delegation.toml", "'upskilling.delegation.01'", "title", "60")


def test_accepts_a_60_character_title(tmp_path: Path) -> None:
    _write(tmp_path, "upskilling/delegation.toml", _table("upskilling.delegation.01", title="x" * 60))
    assert len(_load(tmp_path).prompts) == 1


def test_rejects_id_that_does_not_match_its_folder(tmp_path: Path) -> None:
    _write(tmp_path, "upskilling/delegation.toml", _table("reflection.delegation.01"))
    _rejects(tmp_path, "upskilling/delegation.toml", "'reflection.delegation.01'", "upskilling/delegation")


def test_rejects_id_that_does_not_match_its_file(tmp_path: Path) -> None:
    _write(tmp_path, "upskilling/delegation.toml", _table("upskilling.progress.01"))
    _rejects(tmp_path, "upskilling/delegation.toml", "'upskilling.progress.01'")


def test_rejects_malformed_id(tmp_path: Path) -> None:
    _write(tmp_path, "upskilling/delegation.toml", _table("delegation-1"))
    _rejects(tmp_path, "'delegation-1'", "id must look like")


def test_rejects_raw_slack_markup_in_a_template(tmp_path: Path) -> None:
    _write(tmp_path, "upskilling/delegation.toml", _table("upskilling.delegation.01", body="Ping <!here> now."))
    _rejects(tmp_path, "'upskilling.delegation.01'", "'body'")


def test_rejects_over_long_rendered_action(tmp_path: Path) -> None:
    _write(tmp_path, "upskilling/delegation.toml", _table("upskilling.delegation.01", action="y" * 501))
    _rejects(tmp_path, "'upskilling.delegation.01'", "'action'", "500")


def test_rejects_missing_required_key(tmp_path: Path) -> None:
    path = _write(tmp_path, "upskilling/delegation.toml", _table("upskilling.delegation.01"))
    path.write_text(path.read_text().replace('title = "A title"\n', ""))
    _rejects(tmp_path, "'upskilling.delegation.01'", "title")


def test_rejects_invalid_toml(tmp_path: Path) -> None:
    _write(tmp_path, "upskilling/delegation.toml", "[[prompt]\nid = ")
    _rejects(tmp_path, "upskilling/delegation.toml", "TOML")


def test_rejects_misplaced_file(tmp_path: Path) -> None:
    _write(tmp_path, "upskilling/charisma.toml", _table("upskilling.charisma.01"))
    _rejects(tmp_path, "upskilling/charisma.toml")


def test_minimum_counts_are_enforced(tmp_path: Path) -> None:
    _write(tmp_path, "upskilling/delegation.toml", _table("upskilling.delegation.01"))
    with pytest.raises(LibraryError, match="at least"):
        load_library(tmp_path)
    with pytest.raises(LibraryError, match="track"):
        load_library(tmp_path, min_per_foundation=0, min_per_track=1)
