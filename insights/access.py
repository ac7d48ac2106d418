"""Who may see the dashboard: staff, and users in the `managers` group."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils import translation

from webcare_inbox.models import AgentProfile

MANAGERS_GROUP = "managers"


def user_is_manager(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or user.groups.filter(name=MANAGERS_GROUP).exists()


def manager_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user_is_manager(request.user):
            raise PermissionDenied("The dashboard is for managers.")
        _speak_their_language(request)
        return view(request, *args, **kwargs)

    return wrapper


def _speak_their_language(request) -> None:
    """As in the inbox: the language chosen in the user's inbox profile; someone without one
    keeps what the locale middleware picked from the browser (Accept-Language)."""
    language = (
        AgentProfile.objects.filter(user=request.user).values_list("language", flat=True).first()
    )
    if language:
        translation.activate(language)
        request.LANGUAGE_CODE = language


def navigation(request) -> dict:
    """Template context: whether the navigation offers the dashboard (only to those who may
    open it)."""
    user = getattr(request, "user", None)
    return {"show_insights": user_is_manager(user)}
