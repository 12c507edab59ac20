"""Escaping for Slack's mrkdwn: people's text is data, never markup.

Slack treats ``<...>`` as control sequences (``<!channel>`` pings everyone, ``<url|label>``
disguises a link), so the three characters below are always escaped before a person's
words reach a message or a view.
"""

from __future__ import annotations

_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))


def escape(text: object) -> str:
    """Return ``text`` safe to place inside mrkdwn: ``&``, ``<`` and ``>`` escaped."""
    value = "" if text is None else str(text)
    for raw, escaped in _ESCAPES:
        value = value.replace(raw, escaped)
    return value


def truncate(text: str, limit: int, ellipsis: str = "…") -> str:
    """Cut ``text`` to at most ``limit`` characters, marking the cut with ``ellipsis``."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - len(ellipsis))] + ellipsis
