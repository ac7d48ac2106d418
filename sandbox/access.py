"""Who may use the sandbox pages, and on whom they may act.

The pages are for signed-in agents and staff only. They show and act only on sandbox-channel
addresses (contact points whose channel runs on the sandbox adapter): with SANDBOX_ENABLED=1 next
to a real WhatsApp channel, that channel's travellers never appear, cannot be typed as, and the
operator panel cannot fire events on a trip that would reach them.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.module_loading import import_string

from core.models import ContactPoint, Passenger, Trip
from sandbox.adapter import SandboxAdapter


def sandbox_channels() -> list[str]:
    """The channels whose adapter is the sandbox (read at call time, so tests can switch)."""
    return [
        channel
        for channel, path in settings.MESSAGING_ADAPTERS.items()
        if issubclass(import_string(path), SandboxAdapter)
    ]


def contact_points() -> QuerySet[ContactPoint]:
    return ContactPoint.objects.filter(channel__in=sandbox_channels())


def _real_contact_points() -> QuerySet[ContactPoint]:
    return ContactPoint.objects.exclude(channel__in=sandbox_channels())


def real_channels() -> list[str]:
    return [channel for channel in settings.MESSAGING_ADAPTERS if channel not in sandbox_channels()]


def channel_on_sandbox(channel: str) -> bool:
    return channel in sandbox_channels()


def passengers() -> QuerySet[Passenger]:
    """Passengers reachable only through the sandbox: their codes may be shown and used.

    Never one with a real-channel address. One without any address yet (who has not opted in)
    counts only when every channel is the sandbox: next to a real channel they may be a real
    traveller who will opt in there.
    """
    real = _real_contact_points().filter(customer=OuterRef("customer"))
    rows = Passenger.objects.exclude(Exists(real))
    if real_channels():
        rows = rows.filter(Exists(contact_points().filter(customer=OuterRef("customer"))))
    return rows


def trips() -> QuerySet[Trip]:
    """Trips whose travellers and their relatives are all on sandbox channels."""
    real = _real_contact_points()
    travelling = real.filter(customer__passengers__segments__trip=OuterRef("pk"))
    following = real.filter(
        customer__group_memberships__left_at__isnull=True,
        customer__group_memberships__group__owner__passengers__segments__trip=OuterRef("pk"),
    )
    return Trip.objects.exclude(Exists(travelling)).exclude(Exists(following))


def _may_use(user) -> bool:
    return user.is_staff or user.groups.filter(name="agents").exists()


def sandbox_user_required(view):
    """Signed-in staff or agents. A visitor is sent to sign in (a POST is refused outright: its
    body would be lost on the way); anyone else gets 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            if request.method not in ("GET", "HEAD"):
                raise PermissionDenied("sign in as an agent to use the sandbox")
            return redirect_to_login(request.get_full_path())
        if not _may_use(request.user):
            raise PermissionDenied("the sandbox is for staff and agents")
        return view(request, *args, **kwargs)

    return wrapped
