"""Several processes migrating one empty database at once: one migrates, the others wait and find it done."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.store.migrate import current_revision, head_revision

ROOT = Path(__file__).resolve().parents[1]
PROCESSES = 4


def _migrate_together(database_url: str, cwd: Path) -> list[tuple[int, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LEAD_", "DATABASE_URL"))}
    env.update({"DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)})
    started = [subprocess.Popen([sys.executable, "-m", "bot", "migrate"], cwd=cwd, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
               for _ in range(PROCESSES)]
    return [(process.wait(timeout=120), process.stderr.read() if process.stderr else "") for process in started]


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_processes_starting_together_on_an_empty_database_all_migrate(engine: str, tmp_path: Path,
                                                                      request: pytest.FixtureRequest) -> None:
    url = (f"sqlite:///{tmp_path / 'lead.db'}" if engine == "sqlite"
           else request.getfixturevalue("empty_postgres_url"))
    results = _migrate_together(url, tmp_path)
    assert [status for status, _ in results] == [0] * PROCESSES, "\n".join(err for _, err in results)
    assert all(err.strip() == "database is up to date" for _, err in results), [err for _, err in results]
    assert current_revision(url) == head_revision()
