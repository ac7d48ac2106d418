"""The agent's one click on a contact reason."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contact_reasons import services
from contact_reasons.reasons import REASONS
from webcare_inbox import listing
from webcare_inbox.views import agent_required


@require_POST
@agent_required
def conversation_reason(request: HttpRequest, pk: int) -> HttpResponse:
    """Another team's conversation is a 404, as everywhere in the inbox."""
    conversation = get_object_or_404(listing.conversations_visible_to(request.user), pk=pk)
    reason = request.POST.get("reason", "")
    if reason not in REASONS:
        messages.error(request, _("Pick one of the contact reasons."), extra_tags="thread")
    else:
        services.conversation_reason_set(
            conversation=conversation, reason=reason, agent=request.user
        )
    response = redirect("webcare_inbox:conversation", pk=pk)
    query = QueryDict(request.POST.get("list_query", "")).urlencode()
    if query:
        response["Location"] += "?" + query
    return response
