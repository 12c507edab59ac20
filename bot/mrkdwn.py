"""Escaping for Slack's mrkdwn: people's text is data, never markup.

Slack treats ``<...>`` as control sequences (``<!channel>`` pings everyone, ``<url|label>``
disguises a link), so the three characters below are always escaped before a person's
words reach a message or a view.
"""

from __future__ import annotations

import re

_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))


def escape(text: object) -> str:
    """Return ``text`` safe to place inside mrkdwn: ``&``, ``<`` and ``>`` escaped."""
    value = "" if text is None else str(text)
    for raw, escaped in _ESCAPES:
        value = value.replace(raw, escaped)
    return value


def quote(text: str) -> str:
    """Escaped ``text`` as a mrkdwn block quote, each of its lines quoted."""
    return "\n".join("> " + line for line in escape(text).splitlines() or [""])


def truncate(text: str, limit: int, ellipsis: str = "…") -> str:
    """Cut ``text`` to at most ``limit`` characters, marking the cut with ``ellipsis``."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - len(ellipsis))] + ellipsis


# Reading what Slack sends. With ``should_escape: true`` (manifest.yml) a slash command's text
# arrives escaped: ``&``, ``<`` and ``>`` as entities, and every mention, channel link, mass
# mention and link as a ``<...>`` sequence.
_SEQUENCE = re.compile(r"<([^<>]*)>")
_MENTION = re.compile(r"^\s*<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>")


def plain_text(slack_text: str) -> str:
    """What a person typed, from Slack's escaped form: the words they saw, never markup.

    ``<@U1|ada>`` becomes ``@ada``, ``<#C1|team>`` ``#team``, ``<!channel>`` ``@channel``,
    ``<!subteam^S1|@leads>`` ``@leads``, ``<https://x.test|x.test>`` ``x.test`` (a label that is
    not the address keeps the address too), then ``&lt;``, ``&gt;`` and ``&amp;`` become the
    characters. The result is data: a view escapes it again before it reaches a message, so a
    mass mention shows as typed and pings nobody.
    """
    return _unescape(_SEQUENCE.sub(_readable, slack_text))


def leading_mention(slack_text: str) -> tuple[str | None, str]:
    """The user id of a mention the text starts with, and the rest of the text (still escaped)."""
    found = _MENTION.match(slack_text)
    if found is None:
        return None, slack_text
    return found.group(1), slack_text[found.end():]


def _readable(found: re.Match[str]) -> str:
    inner = found.group(1)
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        return "@" + (label or target[1:])
    if target.startswith("#"):
        return "#" + (label or target[1:])
    if target.startswith("!"):
        if label:
            return label if label.startswith("@") or target.startswith("!date") else "@" + label
        return "@" + target[1:].split("^")[0]
    if not label:
        return target
    bare = target.split("://", 1)[-1].removeprefix("mailto:")
    return label if label == bare else f"{label} ({target})"


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
