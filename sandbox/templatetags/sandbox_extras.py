"""Times as the clock at an airport shows them, and safe links for media."""

from django import template

from core.airports import local_time

register = template.Library()

TICKS = {"pending": "🕓", "sent": "✓", "delivered": "✓✓", "read": "✓✓", "failed": "!"}


@register.filter
def at_airport(moment, airport: str) -> str:
    """"16:40" at that airport, or "" when there is no time."""
    return local_time(moment, airport).strftime("%H:%M") if moment else ""


@register.filter
def tick(status: str) -> str:
    return TICKS.get(status, "")


@register.filter
def web_url(url: str) -> str:
    """Only http(s) links are clickable: a provider payload must not smuggle in javascript:."""
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) else ""
