"""``python -m bot`` does the same as the ``lead-bot`` console script."""

from bot.cli import main

raise SystemExit(main())
