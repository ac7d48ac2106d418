"""The call-backs page and the agent's actions on a call: done, not reached, move, cancel."""

from datetime import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from webcare_inbox import callback_queue, callbacks, listing
from webcare_inbox.hours import opening_hours
from webcare_inbox.views import agent_required


@require_GET
@agent_required
def callback_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "webcare_inbox/callbacks.html",
        {
            "rows": callback_queue.callback_queue(user=request.user),
            "counts": callback_queue.callback_counts(user=request.user),
            "count_days": callback_queue.COUNT_DAYS,
            "team_tz": opening_hours().tz.key,
        },
    )


@require_POST
@agent_required
def callback_action(request: HttpRequest, pk: int) -> HttpResponse:
    callback = get_object_or_404(
        callback_queue.callbacks_visible_to(request.user).filter(status__in=callbacks.OPEN), pk=pk
    )
    action = request.POST.get("action", "")
    if action == "done":
        callbacks.callback_done(callback=callback, agent=request.user)
    elif action == "not_reached":
        callbacks.callback_not_reached(callback=callback, agent=request.user)
    elif action == "cancel":
        callbacks.callback_cancel(callback=callback, agent=request.user)
    elif action == "move":
        try:
            wanted = datetime.fromisoformat(request.POST.get("due", "")).replace(
                tzinfo=opening_hours().tz
            )
        except ValueError:
            messages.error(request, _("due: give a date and time for the call."))
            return redirect("webcare_inbox:callbacks")
        callbacks.callback_schedule(callback=callback, wanted=wanted, actor=request.user)
    else:
        messages.error(request, _("Unknown action."))
    return redirect("webcare_inbox:callbacks")


@require_POST
@agent_required
def conversation_callback(request: HttpRequest, pk: int) -> HttpResponse:
    """The thread's "Offer a call-back": the person is asked when, as if they had asked."""
    conversation = get_object_or_404(listing.conversations_visible_to(request.user), pk=pk)
    callbacks.callback_request(conversation=conversation, actor=request.user)
    return redirect("webcare_inbox:conversation", pk=pk)
