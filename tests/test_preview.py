"""`lead-bot preview`: every surface the bot sends, rendered by its own builders, is valid Block Kit."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.cli import main
from bot.preview import BLOCK_KIT_BUILDER, JOB_SURFACES, SURFACES
from bot.scheduler.registry import JOB_NAMES
from tests.slack_emulator import validate_message_blocks, validate_view


@pytest.mark.parametrize("name", list(SURFACES))
def test_every_surface_is_valid_block_kit(name: str) -> None:
    surface = SURFACES[name]
    payload = surface.build()
    if surface.kind == "message":
        assert isinstance(payload.get("text"), str) and payload["text"].strip(), "a message needs its fallback text"
        blocks = payload["blocks"]
        for raw in blocks:
            parsed = Block.parse(raw)
            assert parsed is not None, raw
            parsed.validate_json()
        assert validate_message_blocks(blocks) == []
    else:
        assert payload["type"] == surface.kind
        View(**payload).validate_json()  # slack_sdk's own model and validators
        assert validate_view(payload, allowed_types=(surface.kind,)) == []
    json.dumps(payload)  # what the CLI prints


def test_every_scheduled_job_has_a_surface() -> None:
    assert set(JOB_SURFACES) == set(JOB_NAMES)
    assert set(JOB_SURFACES.values()) <= set(SURFACES)


def test_preview_lists_the_surfaces(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview"]) == 0
    assert capsys.readouterr().out.splitlines() == list(SURFACES)


def test_preview_prints_the_surface_and_a_builder_link(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", "checkin-modal"]) == 0
    out, err = capsys.readouterr()
    view = json.loads(out)
    assert view == SURFACES["checkin-modal"].build() and view["type"] == "modal"
    link = err.strip().rsplit(" ", 1)[-1]
    assert link.startswith(BLOCK_KIT_BUILDER) and json.loads(unquote(link[len(BLOCK_KIT_BUILDER):])) == view

    assert main(["preview", "team-digest"]) == 0
    out, err = capsys.readouterr()
    message = json.loads(out)
    assert set(message) >= {"text", "blocks"}
    link = err.strip().rsplit(" ", 1)[-1]
    assert json.loads(unquote(link[len(BLOCK_KIT_BUILDER):])) == {"blocks": message["blocks"]}


def test_an_unknown_surface_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", "no-such-thing"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == "lead-bot: 'no-such-thing' is not a surface; `lead-bot preview` lists them\n"


def test_the_interface_page_names_every_surface() -> None:
    page = (Path(__file__).resolve().parents[1] / "docs" / "interface.md").read_text(encoding="utf-8")
    listed = page.split("`lead-bot preview` names, by kind:", 1)[1].split("\n\n", 2)[1]
    assert set(re.findall(r"`([a-z-]+)`", listed)) == set(SURFACES) - set(JOB_SURFACES.values())
