"""``lead-bot``: run the bot, migrate, operate the scheduler, export a person's data, check the
installation (``doctor``) and show what the bot sends (``preview``).

Every configuration problem ends the command with exit status 2 and one line on stderr that
names the variable to fix; a traceback never reaches the operator for those. Slack is asked
once at start: a refused bot token or app token, or a port already taken, is such a problem;
Slack unreachable in HTTP mode is one warning, and the bot starts anyway (Socket Mode cannot:
its connection is the way requests come in). ``doctor`` and ``preview`` load the configuration
themselves: for ``doctor`` a bad setting is one failed check among the others, and ``preview``
needs none.
"""

from __future__ import annotations

import argparse
import errno
import json
import logging
import os
import re
import signal
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, NoReturn

from sqlalchemy.exc import SQLAlchemyError

from bot import __version__
from bot.config import ConfigError, Settings, load_settings

log = logging.getLogger("lead-bot")
_TEAM_ID = re.compile(r"^T[A-Z0-9]{2,31}$")


class _StopSignals:
    """SIGTERM and Ctrl-C, noticed whichever thread the kernel hands them to.

    Linux may deliver a signal sent to the process to any thread that does not block it (the
    scheduler's, the sender's, waitress's), and Python runs its handlers later and only on the
    main thread: a main thread asleep in ``signal.pause()`` then never woke, and the process never
    stopped. The C-level handler writes the signal number to the wakeup fd in whichever thread
    it runs, so the main thread waits by reading that pipe. Created first thing, before any thread
    starts, so a signal during start-up is kept and stops the command as soon as it is up.
    """

    def __init__(self) -> None:
        self._read, self._write = os.pipe()
        os.set_blocking(self._write, False)
        signal.set_wakeup_fd(self._write, warn_on_full_buffer=False)
        for signum in (signal.SIGTERM, signal.SIGINT):
            # A Python handler must be installed for the wakeup fd to be written; the pipe does the rest.
            signal.signal(signum, lambda _signum, _frame: None)

    def fail(self) -> None:
        """Stop without a signal, because a part the command cannot run without has died."""
        os.write(self._write, b"\0")

    def wait(self) -> bool:
        """Block until a stop signal (True) or :meth:`fail` (False); from then on ignore stop signals.

        Ignored, not left to the handler: the interpreter restores the default action (terminate)
        for handled signals as it exits, so a repeated SIGTERM would otherwise turn a clean stop
        into death by signal.
        """
        signalled = os.read(self._read, 1) != b"\0"
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, signal.SIG_IGN)
        return signalled


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from bot import logs

    logs.configure()
    # A handler that fails would print the exception being handled, with its message: a driver's
    # error may quote the failing row, people's words included.
    logging.raiseExceptions = False
    # Migrations run at every start; their chatter would bury the one line an operator needs.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    if args.func is _doctor:
        return _doctor(args)  # a bad configuration is one of its findings, not the end of it
    if args.func is _preview:
        return _preview(args)  # needs no configuration: a team reviews the messages before installing
    try:
        settings = load_settings()
        logs.configure(settings.log_format)
        return int(args.func(args, settings) or 0)
    except ConfigError as exc:
        print(f"lead-bot: {exc}", file=sys.stderr)
        return 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line on stderr and exit status 2, like a config error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="lead-bot", description="A Slack coach for engineers growing into leads.")
    parser.add_argument("--version", action="version", version=f"lead-bot {__version__}")
    parser.set_defaults(func=_run)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    sub.add_parser("run", help="migrate, then Socket Mode (with SLACK_APP_TOKEN) or HTTP, plus the scheduler"
                   ).set_defaults(func=_run)
    serve = sub.add_parser("serve", help="migrate, then serve HTTP (POST /slack/events, GET /healthz)")
    serve.add_argument("--port", type=int, default=None, help="port to listen on (default: $PORT or 3000)")
    serve.add_argument("--host", default="0.0.0.0", help="address to bind (default: all)")
    serve.add_argument("--no-scheduler", action="store_true", help="do not run the scheduled jobs here")
    serve.set_defaults(func=_serve)
    sub.add_parser("worker", help="migrate, then run only the scheduler").set_defaults(func=_worker)
    sub.add_parser("migrate", help="apply pending database migrations and exit").set_defaults(func=_migrate)
    jobs = sub.add_parser("jobs", help="list or run scheduled jobs")
    jobs_sub = jobs.add_subparsers(dest="jobs_command", required=True, parser_class=_Parser)
    jobs_sub.add_parser("list", help="each job's name and next run time").set_defaults(func=_jobs_list)
    run_job = jobs_sub.add_parser("run", help="run one job once now")
    run_job.add_argument("name")
    run_job.add_argument("--at", default=None, help="ISO-8601 time to run as (default: now)")
    run_job.set_defaults(func=_jobs_run)
    export = sub.add_parser("export", help="a person's data as JSON on stdout")
    export.add_argument("user_id")
    export.set_defaults(func=_export)
    sub.add_parser("doctor", help="check the configuration, database, tokens, scopes and team channel"
                   ).set_defaults(func=_doctor)
    preview = sub.add_parser("preview", help="list the surfaces the bot sends, or render one with sample data")
    preview.add_argument("surface", nargs="?", default=None, help="a surface name (without one: list them)")
    preview.set_defaults(func=_preview)
    forget = sub.add_parser("forget-workspace", help="delete everything about one workspace now, its tokens too")
    forget.add_argument("team_id")
    forget.set_defaults(func=_forget_workspace)
    return parser


def migrate_database(settings: Settings) -> None:
    """Apply migrations, turning an unreachable or broken database into a ConfigError."""
    from bot.store.migrate import upgrade

    try:
        upgrade(settings.database_url)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
        raise ConfigError("DATABASE_URL", f"cannot be used: {reason}") from None


def _migrate(_args: argparse.Namespace, settings: Settings) -> int:
    migrate_database(settings)
    print("database is up to date", file=sys.stderr)
    return 0


def _context(settings: Settings) -> Any:
    from bot.app import build_context

    return build_context(settings)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    if not (settings.bot_token or settings.app_token or settings.signing_secret or settings.oauth):
        # A first start with nothing configured: point at the simplest setup, not at HTTP details.
        raise ConfigError("SLACK_BOT_TOKEN", "is not set: create the app from manifest.yml and put SLACK_BOT_TOKEN "
                                             "and SLACK_APP_TOKEN in .env (README: Create the Slack app)")
    if not settings.socket_mode:
        return _serve(argparse.Namespace(port=None, host="0.0.0.0", no_scheduler=False), settings)
    settings.require_socket_mode()
    stop = _StopSignals()
    migrate_database(settings)
    from bot.app import build_app, warm_up

    ctx = _context(settings)
    app = build_app(ctx)
    handler = _open_socket_mode(app, settings)
    try:
        _check_bot_token(app, settings)
    except ConfigError:
        handler.close()
        raise
    warm_up(app, ctx)
    try:
        health = _health_server(ctx, settings, stop)
    except ConfigError:
        handler.close()
        raise
    scheduler = _start_scheduler(ctx, app)
    log.info("connected to Slack in Socket Mode")
    _started("socket", settings, scheduler=True)
    return _run_until_stopped(stop, handler.close, lambda: _stop_server(health), lambda: _stop_scheduler(scheduler))


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("lead-bot")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def _started(mode: str, settings: Settings, scheduler: bool) -> None:
    """The start-up line: what this process is, so a log shows how it was started."""
    from sqlalchemy.engine import make_url

    from bot.logs import line

    store = make_url(settings.database_url).get_backend_name()
    line(log, "lead-bot %s started: mode %s, store %s, scheduler %s", version(), mode, store,
         "on" if scheduler else "off", event="start", version=version(), mode=mode, store=store,
         scheduler=scheduler)


def _health_server(ctx: Any, settings: Settings, stop: _StopSignals) -> Any:
    """``/healthz`` and ``/metrics`` on LEAD_HEALTH_PORT, for processes without the HTTP front."""
    if settings.health_port is None:
        return None
    from bot.server import start_health_server

    try:
        return start_health_server(ctx, "0.0.0.0", settings.health_port, on_loop_end=stop.fail)
    except OSError as exc:
        problem = "is already in use" if exc.errno == errno.EADDRINUSE else f"cannot be used ({exc.strerror or exc})"
        raise ConfigError("LEAD_HEALTH_PORT", f"{settings.health_port} {problem}: choose another") from None


def _stop_server(server: Any) -> None:
    if server is not None:
        server.stop()


def _check_bot_token(app: Any, settings: Settings) -> None:
    """``auth.test`` once: a refused token stops the start; an unreachable Slack is one warning."""
    identity = app.identity
    if identity is None:  # OAuth: each workspace's token comes from its installation
        return
    result = identity.check()
    if result.refused:
        raise ConfigError("SLACK_BOT_TOKEN", f"was refused by Slack ({result.refused}): copy the Bot User OAuth "
                                             "Token from the app's OAuth & Permissions page")
    if result.unreachable:
        log.warning("Slack cannot be reached at %s (%s); starting anyway, requests are answered as soon as "
                    "Slack answers", settings.api_url, result.unreachable)


def _open_socket_mode(app: Any, settings: Settings) -> Any:
    """The Socket Mode connection, open; a refused app token or an unreachable Slack is a ConfigError."""
    from slack_sdk.errors import SlackApiError, SlackClientError

    from bot.slack.authorization import check_client
    from bot.slack.socket_mode import LeadSocketModeHandler

    # Asked here, once: the SDK's own connect logs a failure with a traceback, then retries.
    client = check_client(settings.api_url)
    try:
        url = client.apps_connections_open(app_token=settings.app_token or "")["url"]
    except SlackApiError as exc:
        raise ConfigError("SLACK_APP_TOKEN", f"was refused by Slack ({exc.response.get('error')}): use an "
                                             "app-level token with the connections:write scope") from None
    except (SlackClientError, OSError) as exc:
        raise ConfigError("SLACK_APP_TOKEN", f"cannot open a Socket Mode connection: Slack cannot be reached at "
                                             f"{settings.api_url} ({type(exc).__name__})") from None
    handler = LeadSocketModeHandler(app, settings.app_token, web_client=app.client)
    handler.client.wss_uri = url
    try:
        handler.connect()
    except Exception as exc:  # noqa: BLE001 - whatever the WebSocket raised, the answer is the same
        handler.close()
        raise ConfigError("SLACK_APP_TOKEN", f"cannot open a Socket Mode connection: the WebSocket to Slack "
                                             f"failed ({type(exc).__name__})") from None
    return handler


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    settings.require_slack(http=True)
    stop = _StopSignals()
    migrate_database(settings)
    from bot.app import build_app
    from bot.server import start_server

    ctx = _context(settings)
    app = build_app(ctx)
    _check_bot_token(app, settings)
    port = settings.port if args.port is None else args.port
    try:
        server = start_server(app, ctx, args.host, port, on_loop_end=stop.fail)
    except OSError as exc:
        problem = "is already in use" if exc.errno == errno.EADDRINUSE else f"cannot be used ({exc.strerror or exc})"
        raise ConfigError("PORT", f"{port} on {args.host} {problem}: choose another with PORT or --port") from None
    scheduler = None if args.no_scheduler else _start_scheduler(ctx, app)
    log.info("serving Slack requests on http://%s:%s/slack/events", args.host, server.port)
    _started("http", settings, scheduler=scheduler is not None)
    return _run_until_stopped(stop, server.stop, lambda: _stop_scheduler(scheduler))


def _worker(_args: argparse.Namespace, settings: Settings) -> int:
    settings.require_slack(http=False)
    stop = _StopSignals()
    migrate_database(settings)
    from bot.app import build_app

    ctx = _context(settings)
    app = build_app(ctx)
    health = _health_server(ctx, settings, stop)
    # A worker without its database can do nothing: it stops with status 1 so that its
    # supervisor restarts it (and the error line says why).
    scheduler = _start_scheduler(ctx, app, on_lost_database=stop.fail)
    log.info("scheduler running")
    _started("worker", settings, scheduler=True)
    return _run_until_stopped(stop, lambda: _stop_server(health), lambda: _stop_scheduler(scheduler))


def _start_scheduler(ctx: Any, app: Any, on_lost_database: Callable[[], None] | None = None) -> Any:
    from bot.scheduler.runner import start_scheduler

    return start_scheduler(ctx, app.client, on_lost_database)


def _stop_scheduler(scheduler: Any) -> None:
    if scheduler is not None:
        scheduler.shutdown(wait=True)


def _jobs_list(_args: argparse.Namespace, settings: Settings) -> int:
    migrate_database(settings)
    from bot.scheduler.runner import next_runs

    for name, when in next_runs(_context(settings)):
        print(f"{name}\t{when.isoformat() if when else '-'}")
    return 0


def _jobs_run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.scheduler.registry import JOB_NAMES, MAINTENANCE_JOBS

    names = (*JOB_NAMES, *(job.name for job in MAINTENANCE_JOBS))
    if args.name not in names:
        raise ConfigError("NAME", f"{args.name!r} is not a job; choose one of: {', '.join(names)}")
    at = _parse_at(args.at)
    settings.require_slack(http=False)
    migrate_database(settings)
    from bot.scheduler.runner import run_job
    from bot.slack.client import make_client

    report = run_job(_context(settings), make_client(settings), args.name, at)
    print(json.dumps(report, default=str))
    return 0


def _parse_at(raw: str | None) -> datetime | None:
    if raw is None:
        return None
    try:
        at = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError("--at", f"is not an ISO-8601 time: {raw!r}") from None
    return at if at.tzinfo else at.astimezone()


def _export(args: argparse.Namespace, settings: Settings) -> int:
    migrate_database(settings)
    from bot.services.export import export_person

    data = export_person(_context(settings), args.user_id)
    if data is None:
        print(f"lead-bot: no data for user {args.user_id}", file=sys.stderr)
        return 1
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def _doctor(_args: argparse.Namespace) -> int:
    """One line per check on stdout; exit 0 when every check passed, else 2."""
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"FAIL configuration: {exc}")
        return 2
    from bot.services.doctor import diagnose

    passed = True
    for finding in diagnose(settings):
        passed = passed and finding.ok
        print(f"{'ok  ' if finding.ok else 'FAIL'} {finding.check}: {finding.detail}", flush=True)
    return 0 if passed else 2


def _preview(args: argparse.Namespace) -> int:
    """The surface names, one a line; or one surface as JSON on stdout and a Block Kit Builder link on stderr."""
    from bot.preview import SURFACES, builder_link

    if args.surface is None:
        for name in SURFACES:
            print(name)
        return 0
    surface = SURFACES.get(args.surface)
    if surface is None:
        print(f"lead-bot: {args.surface!r} is not a surface; `lead-bot preview` lists them", file=sys.stderr)
        return 2
    payload = surface.build()
    json.dump(payload, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    print(f"{surface.describes}. Block Kit Builder: {builder_link(surface.kind, payload)}", file=sys.stderr)
    return 0


def _forget_workspace(args: argparse.Namespace, settings: Settings) -> int:
    team_id = args.team_id.strip()
    if not _TEAM_ID.match(team_id):
        raise ConfigError("TEAM_ID", f"must be a workspace ID like T0123ABCD, not {args.team_id!r}")
    migrate_database(settings)
    from bot.services.workspaces import forget_workspace

    if not forget_workspace(_context(settings), team_id):
        raise ConfigError("TEAM_ID", f"{team_id} is not a workspace lead-bot knows (nothing was deleted)")
    print(f"deleted everything lead-bot kept about workspace {team_id}", file=sys.stderr)
    return 0


def _run_until_stopped(stop: _StopSignals, *cleanups: Callable[[], Any]) -> int:
    """Wait for SIGTERM or Ctrl-C, then run ``cleanups`` in order; exit status 0 (1 after a failure).

    Another signal while they run changes nothing: the stop in progress finishes what is in flight.
    """
    signalled = stop.wait()
    log.info("stopping")
    for cleanup in cleanups:
        cleanup()
    return 0 if signalled else 1
