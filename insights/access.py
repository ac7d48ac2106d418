"""Who may see the dashboard: staff, and users in the `managers` group."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

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
        return view(request, *args, **kwargs)

    return wrapper
