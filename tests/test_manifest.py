"""Every app manifest at the repository root validates against Slack's published manifest schema
(vendored in tests/data/slack_manifest_schema), and the scopes `lead-bot doctor` checks are the
manifest's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator
from referencing import Registry, Resource

from bot.services.doctor import BOT_SCOPES

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = Path(__file__).resolve().parent / "data" / "slack_manifest_schema"
MANIFESTS = sorted(ROOT.glob("manifest*.yml"))
# The root schema points at the versioned schemas by URL; these are the same files, on disk.
REMOTE = "https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/"


def _validator() -> Draft7Validator:
    registry: Registry[Any] = Registry()
    for version in ("1.0.0", "2.0.0"):
        contents = json.loads((SCHEMAS / f"manifest.schema.{version}.json").read_text(encoding="utf-8"))
        registry = registry.with_resource(f"{REMOTE}manifest.schema.{version}.json", Resource.from_contents(contents))
    root = json.loads((SCHEMAS / "manifest.schema.json").read_text(encoding="utf-8"))
    return Draft7Validator(root, registry=registry)


def _load(path: Path) -> dict[str, Any]:
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_there_is_a_manifest() -> None:
    assert ROOT / "manifest.yml" in MANIFESTS


@pytest.mark.parametrize("path", MANIFESTS, ids=[p.name for p in MANIFESTS])
def test_manifest_matches_slacks_schema(path: Path) -> None:
    errors = [f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
              for error in _validator().iter_errors(_load(path))]
    assert errors == []


def test_the_schema_refuses_a_broken_manifest() -> None:
    broken = _load(ROOT / "manifest.yml")
    broken["oauth_config"]["scopes"]["bot"] = "commands"  # a string where Slack wants a list
    del broken["display_information"]["name"]
    assert list(_validator().iter_errors(broken))


def test_doctor_checks_the_scopes_the_manifest_asks_for() -> None:
    assert sorted(_load(ROOT / "manifest.yml")["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)
