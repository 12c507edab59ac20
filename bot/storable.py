"""The one rule for characters no store accepts, applied where people's text enters the bot.

PostgreSQL refuses NUL in text, and neither driver can encode a lone UTF-16 surrogate (JSON
may carry one, ``"\\ud800"``), so such a value failed on one database and not the other, or
failed every time the person pressed Save. The rule: strip them. Removed are the C0 control
characters except tab and newline (NUL, carriage return, escape, ...), DEL, and unpaired
surrogates; everything else a person typed is kept as typed. Nothing of meaning is lost: none
of these can be typed into a Slack text box, and no message shows them.

Applied once, at the edge: every text a modal sends back (:class:`bot.views.state.ViewState`)
and the text after ``/lead``, so SQLite and PostgreSQL store the same thing for the same input.
"""

from __future__ import annotations

import re

_UNSTORABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def storable(text: str) -> str:
    """``text`` without the characters no store accepts (see the module docstring)."""
    return _UNSTORABLE.sub("", text)
