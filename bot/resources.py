"""Where the files that ship inside the package live: the prompt library and the migrations.

Found through ``importlib.resources`` rather than relative to the source tree, so a wheel or
``pip install .`` finds them from any working directory. Every other module asks here, so moving
either directory is a one-line change.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _package_dir(name: str) -> Path:
    # The bot is installed as plain files (never zipped), so the resource is a real directory:
    # the prompt loader globs it and Alembic needs a path.
    return Path(str(files("bot").joinpath(name)))


PROMPTS_DIR = _package_dir("prompts")
MIGRATIONS_DIR = _package_dir("migrations")
