"""How the bot's log lines look (``LOG_FORMAT``), and which library chatter is kept out of them.

Everything goes to stderr. ``text`` is one human line per record; ``json`` is one JSON object
per line, with the fixed keys ``time``, ``level``, ``logger`` and ``message``, plus the fields a
line carries in ``extra={"fields": {...}}`` (the request lines' kind, name, status, ms, team).
Fields are the only structured data a line gets: callers never put a person's words in them.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
FIELDS = "fields"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = getattr(record, FIELDS, None)
        if isinstance(fields, Mapping):
            line.update({k: v for k, v in fields.items() if k not in line})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class _KnownTokenNotice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment itself and warns at every start that the
    client given to it wins; that is by design here (the client knows SLACK_API_URL)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "will be unused" not in record.getMessage()


_KNOWN_TOKEN_NOTICE = _KnownTokenNotice()


def quiet_libraries() -> None:
    """Keep out lines that say nothing an operator can act on (safe to call more than once)."""
    logging.getLogger("slack_bolt.App").addFilter(_KNOWN_TOKEN_NOTICE)
    # Migrations run at every start; their chatter would bury the one line an operator needs.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # "Running job …" and "… executed successfully" for every sweep, every five minutes; the
    # sweeps log what they delivered themselves, and failures still come through.
    logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)


def configure(log_format: str = "text", stream: Any = None) -> None:
    """Send every record to ``stream`` (stderr) in ``log_format``, replacing earlier handlers."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    quiet_libraries()


def line(logger: logging.Logger, message: str, *args: Any, level: int = logging.INFO, **fields: Any) -> None:
    """One line, with ``fields`` as keys of their own in JSON (the text line is ``message`` alone)."""
    logger.log(level, message, *args, extra={FIELDS: fields})
