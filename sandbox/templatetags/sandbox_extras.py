"""Times as the clock at an airport shows them, and safe links for media and in messages."""

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from core.airports import local_time

register = template.Library()

TICKS = {"pending": "🕓", "sent": "✓", "delivered": "✓✓", "read": "✓✓", "failed": "!"}


@register.filter
def at_airport(moment, airport: str) -> str:
    """ "16:40" at that airport, or "" when there is no time."""
    return local_time(moment, airport).strftime("%H:%M") if moment else ""


@register.filter
def tick(status: str) -> str:
    return TICKS.get(status, "")


@register.filter
def web_url(url: str) -> str:
    """Only http(s) links are clickable: a provider payload must not smuggle in javascript:."""
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) else ""


_LINK = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_NOT_IN_LINK_AT_END = ".,;:!?)]"


def _link(url: str) -> str:
    return format_html('<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>', url, url)


@register.filter
def chat_text(text: str) -> SafeString:
    """Text as a chat app shows it: escaped, line breaks kept, http(s) links clickable.

    Nothing but an http(s) URL becomes a link, so `javascript:` and markup stay plain text.
    """
    text, parts, last = str(text or ""), [], 0
    for match in _LINK.finditer(text):
        url = match.group(0).rstrip(_NOT_IN_LINK_AT_END)
        parts += [escape(text[last : match.start()]), _link(url)]
        last = match.start() + len(url)
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts).replace("\n", "<br>"))
