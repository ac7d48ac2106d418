"""The inbox pages: thin views over the services and selectors."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from webcare_inbox import selectors, services
from webcare_inbox.forms import NoteForm, ReplyForm
from webcare_inbox.models import Conversation


def agent_required(view):
    """Signed in, and an agent (the `agents` group) or a superuser; anyone else gets 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not selectors.user_is_agent(request.user):
            raise PermissionDenied("The inbox is for agents.")
        return view(request, *args, **kwargs)

    return wrapper


def _page(request: HttpRequest, conversation: Conversation | None = None, *, status: int = 200, **forms) -> HttpResponse:
    page = selectors.conversation_page(page=request.GET.get("page"))
    context = {
        "page": page,
        "rows": [selectors.conversation_summary(c) for c in page.object_list],
        "conversation": conversation,
        "current_id": conversation.pk if conversation else None,
    }
    if conversation is not None:
        context.update(
            summary=selectors.conversation_summary(conversation),
            messages=[selectors.message_data(m) for m in selectors.conversation_messages(conversation=conversation)],
            window=selectors.contact_point_window(contact_point=conversation.contact_point),
            reply_form=forms.get("reply_form") or ReplyForm(),
            note_form=forms.get("note_form") or NoteForm(),
            person=selectors.customer_context(customer=conversation.customer),
            trip=conversation.trip and selectors.trip_row(conversation.trip),
        )
    return render(request, "webcare_inbox/inbox.html", context, status=status)


def _conversation(pk: int) -> Conversation:
    return get_object_or_404(Conversation.objects.select_related("customer", "contact_point", "assignee", "trip"), pk=pk)


@require_GET
@agent_required
def inbox(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_GET
@agent_required
def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(pk)
    services.conversation_mark_read(conversation=conversation)
    return _page(request, conversation)


@require_POST
@agent_required
def conversation_reply(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _page(request, conversation, status=400, reply_form=form)
    try:
        services.conversation_reply(conversation=conversation, agent=request.user, text=form.cleaned_data["text"])
    except services.ReplyRefused as refused:
        form.add_error(None, str(refused))
        return _page(request, conversation, status=409, reply_form=form)
    return redirect("webcare_inbox:conversation", pk=pk)


@require_POST
@agent_required
def conversation_note(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _page(request, conversation, status=400, note_form=form)
    try:
        services.conversation_note_add(conversation=conversation, agent=request.user, text=form.cleaned_data["text"])
    except services.ReplyRefused as refused:
        form.add_error(None, str(refused))
        return _page(request, conversation, status=400, note_form=form)
    return redirect("webcare_inbox:conversation", pk=pk)


@require_POST
@agent_required
def conversation_assign(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(pk)
    agent = None if request.POST.get("unassign") else request.user
    services.conversation_assign(conversation=conversation, agent=agent)
    return redirect("webcare_inbox:conversation", pk=pk)


@require_POST
@agent_required
def conversation_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    services.conversation_resolve(conversation=_conversation(pk))
    return redirect("webcare_inbox:conversation", pk=pk)
