"""The prompt library: the shipped content is complete and safe, and the loader refuses bad files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.coaching.foundations import (
    FOUNDATION_LABELS,
    FOUNDATIONS,
    PAIRING_KINDS,
    REQUIREMENTS,
    ROLES,
    TRACK_LABELS,
    TRACKS,
)
from bot.coaching.library import (
    KINDS,
    MIN_ELIGIBLE,
    MIN_PAIRING_QUESTIONS,
    QUESTION_MAX,
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


def test_default_directory_is_the_packaged_prompts_folder() -> None:
    assert default_prompts_dir() == Path(__file__).resolve().parent.parent / "bot" / "prompts"


def test_real_library_loads(library: PromptLibrary) -> None:
    assert len(library.prompts) >= 96
    assert len({prompt.id for prompt in library.prompts}) == len(library.prompts)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("foundation", FOUNDATIONS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("track", TRACKS)
def test_twelve_weeks_of_prompts_for_everyone_without_requirements(
    library: PromptLibrary, kind: str, foundation: str, role: str, track: str
) -> None:
    # Counted here from the prompts themselves, not from counts(), so a bug there cannot hide a gap.
    fitting = [
        p for p in library.of(kind, foundation) if role in p.roles and track in p.tracks and not p.requires
    ]
    assert len(fitting) >= MIN_ELIGIBLE == 12


def test_counts_cover_every_combination_and_grow_with_requirements(library: PromptLibrary) -> None:
    combinations = {(k, f, r, t) for k in KINDS for f in FOUNDATIONS for r in ROLES for t in TRACKS}
    bare, full = library.counts(), library.counts(REQUIREMENTS)
    assert set(bare) == set(full) == combinations
    assert all(bare[key] <= full[key] for key in combinations)
    assert sum(full.values()) == sum(len(p.roles) * len(p.tracks) for p in library.prompts)


def test_every_prompt_declares_roles(library: PromptLibrary) -> None:
    for prompt in library.prompts:
        assert prompt.roles and prompt.roles <= set(ROLES), prompt.id
        assert prompt.requires <= set(REQUIREMENTS), prompt.id


@pytest.mark.parametrize("kind", PAIRING_KINDS)
def test_pairing_questions_for_every_kind(library: PromptLibrary, kind: str) -> None:
    questions = library.pairing_questions(kind)
    assert len(questions) >= MIN_PAIRING_QUESTIONS == 8
    assert len({q.id for q in questions}) == len(questions)
    for question in questions:
        assert re.fullmatch(rf"pairing\.{kind}\.\d{{2,3}}", question.id)
        assert question.kind == kind
        assert 0 < len(question.text) <= QUESTION_MAX
        assert "<" not in question.text and ">" not in question.text and "{" not in question.text


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
    stranger = Prompt("reflection.progress.99", "reflection", "progress", frozenset(TRACKS), "T", "b", "a", None,
                      roles=frozenset(ROLES), requires=frozenset())
    with pytest.raises(LibraryError):
        library.render(stranger)


# --- the loader on small fixture libraries -------------------------------------------------------


def _table(prompt_id: str, *, tracks: str = '["hybrid"]', roles: str | None = '["engineer"]',
           requires: str | None = None, title: str = "A title", body: str = "A body.",
           action: str = "Do one thing.", minutes: str | None = "20", extra: str = "") -> str:
    lines = [
        "[[prompt]]",
        f'id = "{prompt_id}"',
        f"tracks = {tracks}",
        f'title = "{title}"',
        f'body = """{body}"""',
        f'action = """{action}"""',
    ]
    if roles is not None:
        lines.append(f"roles = {roles}")
    if requires is not None:
        lines.append(f"requires = {requires}")
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
    return load_library(root, min_eligible=0, min_pairing_questions=0)


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
    delegation = library.get("upskilling.delegation.01")
    assert delegation is not None
    rendered = library.render(delegation, first_name="<@U1>")
    assert rendered.body == "Hi &lt;@U1&gt;." and rendered.action == "Spend 20 minutes."
    reflection = library.get("reflection.progress.01")
    assert reflection is not None and reflection.minutes is None
    assert reflection.suits("technical") and reflection.suits(None) and not reflection.suits("hybrid")
    assert reflection.roles == {"engineer"} and reflection.requires == frozenset()
    assert library.counts()[("reflection", "progress", "engineer", "management")] == 1
    assert library.counts()[("reflection", "progress", "manager", "management")] == 0


def test_rejects_duplicate_id_in_one_file(tmp_path: Path) -> None:
    _write(tmp_path, "upskilling/delegation.toml", _table("upskilling.delegation.01"),
           _table("upskilling.delegation.01"))
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
    _write(tmp_path, "upskilling/delegation.toml",
           _table("upskilling.delegation.01", action="Email {{ manager_name }}."))
    _rejects(tmp_path, "upskilling/delegation.toml", "'upskilling.delegation.01'", "manager_name")


def test_rejects_minutes_variable_in_a_reflection(tmp_path: Path) -> None:
    _write(tmp_path, "reflection/delegation.toml",
           _table("reflection.delegation.01", minutes=None, action="Take {{ minutes }}."))
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


# --- roles and requirements ---------------------------------------------------------------------


def test_roles_and_requirements_are_read(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "reflection/delegation.toml",
        _table("reflection.delegation.01", minutes=None, roles='["tech_lead", "manager"]',
               requires='["direct_reports", "active_goal"]'),
        _table("reflection.delegation.02", minutes=None, roles='["manager"]', requires="[]"),
    )
    library = _load(tmp_path)
    first, second = library.prompts
    assert first.roles == {"tech_lead", "manager"} and first.requires == {"direct_reports", "active_goal"}
    assert second.roles == {"manager"} and second.requires == frozenset()
    assert first.fits("manager", REQUIREMENTS) and not first.fits("manager", {"direct_reports"})
    assert not first.fits("engineer", REQUIREMENTS)
    counts = library.counts()
    assert counts[("reflection", "delegation", "manager", "hybrid")] == 1  # only the one without requirements
    assert library.counts({"direct_reports", "active_goal"})[("reflection", "delegation", "manager", "hybrid")] == 2
    assert library.counts(REQUIREMENTS)[("reflection", "delegation", "tech_lead", "hybrid")] == 1


def test_rejects_missing_roles(tmp_path: Path) -> None:
    _write(tmp_path, "upskilling/delegation.toml", _table("upskilling.delegation.01", roles=None))
    error = _rejects(tmp_path, "upskilling/delegation.toml", "'upskilling.delegation.01'", "missing", "'roles'")
    assert error.path == "tmp_path/upskilling/delegation.toml".replace("tmp_path", tmp_path.name)


@pytest.mark.parametrize(
    ("roles", "fault"),
    [
        ("[]", "non-empty list"),
        ('"manager"', "list"),
        ("[1]", "list"),
        ('["manager", "ceo"]', "ceo"),
        ('["manager", "manager"]', "twice"),
        ('["Engineer"]', "Engineer"),
    ],
)
def test_rejects_bad_roles(tmp_path: Path, roles: str, fault: str) -> None:
    _write(tmp_path, "upskilling/delegation.toml", _table("upskilling.delegation.01", roles=roles))
    _rejects(tmp_path, "upskilling/delegation.toml", "'upskilling.delegation.01'", "roles", fault)


@pytest.mark.parametrize(
    ("requires", "fault"),
    [
        ('"active_goal"', "list"),
        ("[true]", "list"),
        ('["active_goal", "budget"]', "budget"),
        ('["team_channel", "team_channel"]', "twice"),
    ],
)
def test_rejects_bad_requirements(tmp_path: Path, requires: str, fault: str) -> None:
    _write(tmp_path, "upskilling/delegation.toml", _table("upskilling.delegation.01", requires=requires))
    _rejects(tmp_path, "upskilling/delegation.toml", "'upskilling.delegation.01'", "requires", fault)


# --- the coverage guarantee ----------------------------------------------------------------------


def _full_library(root: Path, per_combination: int, *, skip: tuple[str, str, str, str] | None = None,
                  requires_on: tuple[str, str, str, str] | None = None) -> None:
    """``per_combination`` prompts for every kind × foundation × role × track, each for one role and track."""
    for kind in KINDS:
        for foundation in FOUNDATIONS:
            tables = []
            number = 0
            for role in ROLES:
                for track in TRACKS:
                    for n in range(per_combination):
                        if skip == (kind, foundation, role, track) and n == 0:
                            continue
                        number += 1
                        needs = '["active_goal"]' if requires_on == (kind, foundation, role, track) and n == 0 else None
                        tables.append(_table(f"{kind}.{foundation}.{number:03d}", tracks=f'["{track}"]',
                                             roles=f'["{role}"]', requires=needs,
                                             minutes="20" if kind == "upskilling" else None))
            _write(root, f"{kind}/{foundation}.toml", *tables)
    _pairing(root, MIN_PAIRING_QUESTIONS)


def _pairing(root: Path, count: int, kinds: tuple[str, ...] = PAIRING_KINDS) -> None:
    for kind in kinds:
        questions = (_question(f"pairing.{kind}.{n:02d}", f"What surprised you in year {n}?")
                     for n in range(1, count + 1))
        _write(root, f"pairing/{kind}.toml", *questions)


def test_coverage_guarantee_holds_at_exactly_the_minimum(tmp_path: Path) -> None:
    _full_library(tmp_path, 3)
    library = load_library(tmp_path, min_eligible=3)
    assert set(library.counts().values()) == {3}


def test_coverage_names_the_combination_that_falls_short(tmp_path: Path) -> None:
    _full_library(tmp_path, 3, skip=("reflection", "progress", "tech_lead", "management"))
    with pytest.raises(LibraryError) as caught:
        load_library(tmp_path, min_eligible=3)
    message = str(caught.value)
    for fragment in ("reflection/progress.toml", "only 2", "'tech_lead'", "'management'", "at least 3"):
        assert fragment in message, message
    assert caught.value.path == f"{tmp_path.name}/reflection/progress.toml"


def test_a_prompt_with_requirements_does_not_count_toward_the_guarantee(tmp_path: Path) -> None:
    _full_library(tmp_path, 3, requires_on=("upskilling", "personality", "manager", "hybrid"))
    with pytest.raises(LibraryError, match="only 2 prompts fit role 'manager' on track 'hybrid'"):
        load_library(tmp_path, min_eligible=3)
    assert load_library(tmp_path, min_eligible=2).counts(REQUIREMENTS)[
        ("upskilling", "personality", "manager", "hybrid")] == 3


def test_default_minimum_is_twelve(tmp_path: Path) -> None:
    _full_library(tmp_path, 11)
    with pytest.raises(LibraryError, match="at least 12"):
        load_library(tmp_path)


# --- pairing questions ---------------------------------------------------------------------------


def _question(question_id: str, text: str, extra: str = "") -> str:
    lines = ["[[question]]", f'id = "{question_id}"', f'text = """{text}"""']
    if extra:
        lines.append(extra)
    return "\n".join(lines) + "\n\n"


def test_pairing_questions_load_in_order(tmp_path: Path) -> None:
    _write(tmp_path, "pairing/mentoring.toml", _question("pairing.mentoring.02", "What would you do first?"),
           _question("pairing.mentoring.01", "  What is hard right now?  "))
    _write(tmp_path, "pairing/shadowing.toml", _question("pairing.shadowing.01", "Which meeting mattered most?"))
    library = _load(tmp_path)
    assert [q.id for q in library.pairing_questions("mentoring")] == ["pairing.mentoring.02", "pairing.mentoring.01"]
    assert library.pairing_questions("mentoring")[1].text == "What is hard right now?"
    assert library.pairing_questions("informational_interview") == []
    assert library.prompts == ()
    with pytest.raises(ValueError):
        library.pairing_questions("gossip")


@pytest.mark.parametrize(
    ("table", "fragments"),
    [
        (_question("pairing.mentoring.01", "Hi {{ first_name }}?"), ("template",)),
        (_question("pairing.mentoring.01", "Hi {% if x %}?"), ("template",)),
        (_question("pairing.mentoring.01", "Ping <!here>?"), ("'<'",)),
        (_question("pairing.mentoring.01", "Is 3 > 2?"), ("'>'",)),
        (_question("pairing.mentoring.01", "Salt & pepper?"), ("'&'",)),
        (_question("pairing.mentoring.01", "   "), ("empty",)),
        (_question("pairing.mentoring.01", "x" * (QUESTION_MAX + 1)), ("301", "300")),
        (_question("pairing.shadowing.01", "Wrong file?"), ("shadowing", "pairing/mentoring.toml")),
        (_question("mentoring.01", "Bad id?"), ("pairing.<kind>.<nn>",)),
        (_question("pairing.mentoring.01", "Extra?", extra='tone = "warm"'), ("tone",)),
        ('[[question]]\nid = "pairing.mentoring.01"\n', ("missing", "'text'")),
        ('[[question]]\nid = "pairing.mentoring.01"\ntext = 3\n', ("'text'", "string")),
        ('[[prompt]]\nid = "pairing.mentoring.01"\n', ("[[question]]",)),
    ],
)
def test_rejects_bad_pairing_questions(tmp_path: Path, table: str, fragments: tuple[str, ...]) -> None:
    _write(tmp_path, "pairing/mentoring.toml", table)
    _rejects(tmp_path, "pairing/mentoring.toml", *fragments)


def test_accepts_a_question_of_exactly_300_characters_and_entities(tmp_path: Path) -> None:
    _write(tmp_path, "pairing/mentoring.toml", _question("pairing.mentoring.01", "x" * QUESTION_MAX),
           _question("pairing.mentoring.02", "Pros &amp; cons: is 3 &gt; 2?"))
    assert len(_load(tmp_path).pairing_questions("mentoring")) == 2


def test_rejects_a_duplicate_question_id(tmp_path: Path) -> None:
    _write(tmp_path, "pairing/mentoring.toml", _question("pairing.mentoring.01", "A?"),
           _question("pairing.mentoring.01", "B?"))
    _rejects(tmp_path, "'pairing.mentoring.01'", "duplicate id")


def test_rejects_an_unknown_pairing_file(tmp_path: Path) -> None:
    _write(tmp_path, "pairing/coffee.toml", _question("pairing.coffee.01", "A?"))
    _rejects(tmp_path, "pairing/coffee.toml", "informational_interview")


def test_pairing_minimum_names_the_kind_that_falls_short(tmp_path: Path) -> None:
    _full_library(tmp_path, 1)
    _pairing(tmp_path, MIN_PAIRING_QUESTIONS - 1, kinds=("shadowing",))
    with pytest.raises(LibraryError) as caught:
        load_library(tmp_path, min_eligible=1)
    assert "pairing/shadowing.toml" in str(caught.value) and "has 7 questions" in str(caught.value)
    (tmp_path / "pairing" / "mentoring.toml").unlink()
    _pairing(tmp_path, MIN_PAIRING_QUESTIONS, kinds=("shadowing",))
    with pytest.raises(LibraryError, match="pairing/mentoring.toml: has 0 questions"):
        load_library(tmp_path, min_eligible=1)
