"""The contact reasons agents put on conversations, and how the inbox names them."""

from django.utils.translation import gettext_lazy as _

# code → what the agent reads. The code is also the inbox label's name, so the list filters on it.
REASONS = {
    "baggage": _("baggage"),
    "delay": _("delay"),
    "rebooking": _("rebooking"),
    "refund": _("refund"),
    "check_in": _("check-in"),
    "seat": _("seat"),
    "special_assistance": _("special assistance"),
    "other": _("other"),
}
CHOICES = [(code, str(name)) for code, name in REASONS.items()]


def reason_label_name(code: str) -> str:
    """The inbox label a reason is shown as ("check_in" → "check-in")."""
    return code.replace("_", " ") if code != "check_in" else "check-in"


def reason_for_label_name(name: str) -> str | None:
    """The reason an inbox label stands for, or None for any other label."""
    folded = " ".join(name.lower().replace("_", " ").replace("-", " ").split())
    for code in REASONS:
        if folded == code.replace("_", " "):
            return code
    return {"check in": "check_in"}.get(folded)
