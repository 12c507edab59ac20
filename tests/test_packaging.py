"""The built wheel, installed into a fresh venv, runs from an empty directory: the Dockerfile's steps
and the deployment guides' commands (docs/deploy.md), everything but ``docker build`` itself.

Slow (a wheel build and a dependency install, about a minute): marked ``packaging``, so
``pytest -m "not packaging"`` leaves it out while iterating. Installing uses pip's own
configuration (its index or local mirror); nothing from the source tree is on the path.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot import __version__
from bot.services.doctor import BOT_SCOPES
from tests.conftest import SIGNING_SECRET, TEAM_CHANNEL
from tests.slack_emulator import SlackEmulator

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
COMPOSE = (ROOT / "compose.yaml").read_text(encoding="utf-8")
START_TIMEOUT = 60


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Dockerfile's build: ``pip wheel --no-deps``, then a fresh venv with that wheel installed."""
    assert "python -m pip wheel --no-cache-dir --no-deps --wheel-dir /wheels ." in DOCKERFILE
    assert "python -m venv /opt/lead-bot" in DOCKERFILE
    assert "/opt/lead-bot/bin/python -m pip install --no-cache-dir /wheels/*.whl" in DOCKERFILE
    base = tmp_path_factory.mktemp("packaging")
    wheels = base / "wheels"
    _check([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(ROOT)])
    [wheel] = wheels.glob("lead_bot-*.whl")
    env_dir = base / "venv"
    _check([sys.executable, "-m", "venv", str(env_dir)])
    # --no-compile: byte-compiling every dependency up front doubled the install's time; the
    # processes below compile what they import.
    _check([str(env_dir / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-compile", str(wheel)])
    return env_dir


def _check(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, env=_clean_env())
    assert done.returncode == 0, f"{' '.join(command)}\n{done.stdout}\n{done.stderr}"


def _clean_env(**settings: str) -> dict[str, str]:
    """The environment without this checkout on the path and without any lead-bot setting."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "LEAD_", "DATABASE_URL", "PORT", "PYTHON", "VIRTUAL_ENV"))}
    env.update(settings)
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Process:
    """A lead-bot command running in the background, its stderr collected line by line."""

    popen: subprocess.Popen[str]
    lines: queue.Queue[str] = field(default_factory=queue.Queue)
    seen: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        stderr = self.popen.stderr
        assert stderr is not None
        threading.Thread(target=lambda: [self.lines.put(line) for line in stderr], daemon=True).start()

    def wait_for_line(self, pattern: str) -> str:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.seen.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no line matching {pattern!r}; stderr:\n{''.join(self.seen)}")

    def stop(self) -> int:
        self.popen.send_signal(signal.SIGTERM)
        status = self.popen.wait(timeout=30)
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        assert not any("Traceback" in line for line in self.seen), "".join(self.seen)
        return status


Start = Callable[[list[str], dict[str, str]], Process]


@pytest.fixture
def start(venv: Path, tmp_path: Path) -> Iterator[Start]:
    started: list[Process] = []
    workdir = tmp_path / "empty"
    workdir.mkdir()

    def run(args: list[str], env: dict[str, str]) -> Process:
        process = Process(subprocess.Popen([str(venv / "bin" / "lead-bot"), *args], cwd=workdir,
                                           env=_clean_env(**env), stdout=subprocess.DEVNULL,
                                           stderr=subprocess.PIPE, text=True))
        started.append(process)
        return process

    yield run
    for process in started:
        if process.popen.poll() is None:
            process.popen.kill()
            process.popen.wait()


def _run(venv: Path, cwd: Path, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(venv / "bin" / "lead-bot"), *args], cwd=cwd, env=_clean_env(**env),
                          capture_output=True, text=True, timeout=120)


def _healthy(port: int) -> bool:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    return False


def _healthcheck_command() -> str:
    match = re.search(r'HEALTHCHECK .*?CMD python -c "(.+?)"\n', DOCKERFILE, re.S)
    assert match, "the Dockerfile has no HEALTHCHECK running python -c"
    return match.group(1)


def _slack(emulator: SlackEmulator) -> dict[str, str]:
    emulator.granted_scopes = list(BOT_SCOPES)
    return {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": emulator.url,
            "LEAD_TEAM_CHANNEL": TEAM_CHANNEL}


def test_one_machine_with_sqlite_from_an_empty_directory(venv: Path, start: Start, emulator: SlackEmulator,
                                                         tmp_path: Path) -> None:
    """docs/deploy.md, "One machine, SQLite", and the Dockerfile's commands, in an empty directory."""
    workdir = tmp_path / "empty"
    port = _free_port()
    # The guide's `cp .env.example .env`, filled in; DATABASE_URL stays the default, ./lead.db.
    dotenv = (ROOT / ".env.example").read_text(encoding="utf-8")
    for name, value in {**_slack(emulator), "PORT": str(port)}.items():
        dotenv, found = re.subn(rf"^#? ?{name}=.*$", f"{name}={value}", dotenv, count=1, flags=re.M)
        assert found, f".env.example has no {name}"
    (workdir / ".env").write_text(dotenv, encoding="utf-8")
    env: dict[str, str] = {}
    version = _run(venv, workdir, ["--version"], env)
    assert version.stdout.strip() == f"lead-bot {__version__}"
    migrate = _run(venv, workdir, ["migrate"], env)
    assert migrate.returncode == 0 and migrate.stderr.strip() == "database is up to date", migrate.stderr
    assert (workdir / "lead.db").exists()
    doctor = _run(venv, workdir, ["doctor"], env)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert len(doctor.stdout.splitlines()) == 6 and "FAIL" not in doctor.stdout

    assert 'CMD ["lead-bot", "serve"]' in DOCKERFILE
    serve = start(["serve"], env)
    assert _healthy(port), "".join(serve.seen)
    probe = subprocess.run([str(venv / "bin" / "python"), "-c", _healthcheck_command()], cwd=workdir,
                           env=_clean_env(PORT=str(port)), capture_output=True, text=True, timeout=30)
    assert probe.returncode == 0, probe.stderr  # the image's HEALTHCHECK passes
    unhealthy = subprocess.run([str(venv / "bin" / "python"), "-c", _healthcheck_command()], cwd=workdir,
                               env=_clean_env(PORT=str(_free_port())), capture_output=True, text=True, timeout=30)
    assert unhealthy.returncode != 0  # and fails where nothing answers
    assert serve.stop() == 0

    worker = start(["worker"], env)
    worker.wait_for_line(r"scheduler running")
    assert worker.stop() == 0
    assert {path.name for path in workdir.iterdir()} >= {".env", "lead.db"}


def test_web_and_worker_on_postgresql_with_several_web_processes(venv: Path, start: Start, emulator: SlackEmulator,
                                                                 empty_postgres_url: str, tmp_path: Path) -> None:
    """docs/deploy.md, "Web + worker, PostgreSQL" (compose.yaml's commands) and "Several web processes,
    one worker": three web processes and the worker started together on an empty database, each
    migrating at start, all come up."""
    for command in ('["lead-bot", "migrate"]', '["lead-bot", "serve", "--no-scheduler"]', '["lead-bot", "worker"]'):
        assert f"command: {command}" in COMPOSE
    workdir = tmp_path / "empty"
    env = {**_slack(emulator), "DATABASE_URL": empty_postgres_url}
    ports = [_free_port() for _ in range(3)]
    webs = [start(["serve", "--no-scheduler"], {**env, "PORT": str(port)}) for port in ports]
    assert 'LEAD_HEALTH_PORT: "3001"' in COMPOSE  # the worker's own /healthz, for the image's HEALTHCHECK
    health_port = _free_port()
    worker = start(["worker"], {**env, "LEAD_HEALTH_PORT": str(health_port)})
    for port, web in zip(ports, webs, strict=True):
        assert _healthy(port), "".join(web.seen)
    worker.wait_for_line(r"scheduler running")
    assert _healthy(health_port), "".join(worker.seen)
    probe = subprocess.run([str(venv / "bin" / "python"), "-c", _healthcheck_command()], cwd=workdir,
                           env=_clean_env(PORT="1", LEAD_HEALTH_PORT=str(health_port)), capture_output=True,
                           text=True, timeout=30)
    assert probe.returncode == 0, probe.stderr  # the worker container's HEALTHCHECK passes
    migrate = _run(venv, workdir, ["migrate"], env)  # the release step of the next deploy: nothing to do
    assert migrate.returncode == 0, migrate.stderr
    doctor = _run(venv, workdir, ["doctor"], env)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert [web.stop() for web in webs] == [0, 0, 0]
    assert worker.stop() == 0
    assert list(workdir.iterdir()) == []  # nothing written to the working directory


def test_an_editable_install_also_runs_from_any_directory(venv: Path, tmp_path: Path) -> None:
    """``pip install -e .`` (last: it replaces the wheel in the module's venv)."""
    _check([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "-e", str(ROOT)])
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import bot; print(bot.__file__)"], cwd=tmp_path,
                           env=_clean_env(), capture_output=True, text=True, timeout=60)
    assert Path(where.stdout.strip()).resolve() == ROOT / "bot" / "__init__.py"
    migrate = _run(venv, tmp_path, ["migrate"], {"DATABASE_URL": f"sqlite:///{tmp_path / 'lead.db'}"})
    assert migrate.returncode == 0, migrate.stderr
