"""The inbox pages: thin views over the services and selectors."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.models import ContactPoint
from notifications.models import MessageTemplate
from webcare_inbox import (
    assignment,
    channel_switch,
    composer,
    labels,
    listing,
    selectors,
    services,
    timeline,
    workflow,
)
from webcare_inbox.forms import MAX_TEXT, NoteForm, PreferencesForm, ReplyForm, SnoozeForm
from webcare_inbox.models import Conversation, Label, Team


def agent_required(view):
    """Signed in, and an agent (the `agents` group) or a superuser; anyone else gets 403.

    The page speaks the agent's chosen language.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not selectors.user_is_agent(request.user):
            raise PermissionDenied("The inbox is for agents.")
        request.agent_profile = assignment.agent_profile(user=request.user)
        translation.activate(request.agent_profile.language)
        request.LANGUAGE_CODE = request.agent_profile.language
        return view(request, *args, **kwargs)

    return wrapper


def _conversation(request: HttpRequest, pk: int) -> Conversation:
    """Only conversations the agent may see exist for them: another team's is a 404."""
    visible = listing.conversations_visible_to(request.user).select_related(
        "customer", "contact_point", "assignee", "trip", "team"
    )
    return get_object_or_404(visible, pk=pk)


def _page(request: HttpRequest, conversation: Conversation | None = None) -> HttpResponse:
    f = listing.ListFilter.from_query(request.GET)
    page = listing.conversation_page(user=request.user, f=f)
    context = {
        "f": f,
        "page": page,
        "rows": [selectors.conversation_summary(c) for c in page.conversations],
        "teams": list(Team.objects.all()),
        "labels": list(Label.objects.all()[:100]),
        "my_team_ids": set(listing.teams_of(request.user).values_list("id", flat=True)),
        "conversation": conversation,
        "current_id": conversation.pk if conversation else None,
        "profile": request.agent_profile,
        "preferences_form": PreferencesForm(instance=request.agent_profile),
        "list_query": request.GET.urlencode(),
        "f_hidden": [
            (k, v)
            for k, v in (
                ("view", f.view),
                ("status", f.status),
                ("team", f.team),
                ("label", f.label),
                ("channel", f.channel),
            )
            if v
        ],
        "view_links": [
            ("all", _("All")),
            ("mine", _("Mine")),
            ("unassigned", _("Unassigned")),
            ("mentions", _("Mentions")),
        ],
        "status_links": [
            ("open", _("Open")),
            ("pending", _("Pending")),
            ("snoozed", _("Snoozed")),
            ("resolved", _("Resolved")),
            ("any", _("Any status")),
        ],
        "js_text": _js_text(),
    }
    if conversation is not None:
        window = selectors.contact_point_window(contact_point=conversation.contact_point)
        context.update(
            summary=selectors.conversation_summary(conversation),
            timeline=timeline.conversation_timeline(conversation=conversation),
            window=window,
            reply_form=ReplyForm(initial={"text": _draft_pop(request, conversation.pk, "reply")}),
            note_form=NoteForm(initial={"text": _draft_pop(request, conversation.pk, "note")}),
            snooze_form=SnoozeForm(),
            reply_limit=services.reply_limit(conversation.channel),
            person=selectors.customer_context(customer=conversation.customer),
            switch_targets=channel_switch.switch_targets(conversation=conversation),
            thread_sections=selectors.thread_sections(conversation=conversation, user=request.user),
            trip=conversation.trip and selectors.trip_row(conversation.trip),
            templates=composer.template_choices(conversation=conversation),
            canned=composer.canned_replies_for(conversation=conversation, agent=request.user),
            assignable=list(
                assignment.agents_for(team=conversation.team).order_by("username")[:200]
            ),
        )
    return render(request, "webcare_inbox/inbox.html", context)


def _js_text() -> dict[str, str]:
    """What the live script writes on the page, in the agent's language."""
    return {
        "unassigned": _("unassigned"),
        "nobody": _("nobody"),
        "automated": _("automated"),
        "note": _("Private note · never sent"),
        "failed": _("failed"),
        "offline": _("offline · reconnecting"),
        "viewing": _("%(agent)s is viewing this conversation"),
        "typing": _("%(agent)s is typing…"),
        "mention": _("%(author)s mentioned you in %(name)s"),
        "bot": _("bot"),
        "human": _("human"),
        "left": _("%(time)s left"),
        "closed": _("The window has closed. Reload to see what can still be sent."),
        "length": _("%(count)s / %(limit)s characters"),
        "notification": _("Notification"),
        "not_sent": _("(not sent yet)"),
        "attachment": _("attachment"),
        "days_hours": _("%(days)sd %(hours)sh"),
        "hours_minutes": _("%(hours)sh %(minutes)sm"),
        "minutes": _("%(minutes)sm"),
        **{f"status_{code}": str(text) for code, text in labels.CONVERSATION_STATUS.items()},
        **{f"tick_{code}": str(text) for code, text in labels.TICK.items()},
        **{f"reason_{code}": str(text) for code, text in labels.HANDOVER_REASON.items()},
        "too_long": _("%(count)s / %(limit)s characters: %(over)s too many for one message"),
        "bot_banner": _("Automation is answering this person. Take over to reply yourself."),
        "handover_banner": _("Handed over by automation:"),
    }


def _refused(
    request: HttpRequest, pk: int, reason: str, *, draft: tuple[str, str] | None = None
) -> HttpResponse:
    """Back on the thread with the reason shown (redirect after POST, so a reload or the live
    resync reads the thread, never the action's URL). The text of a refused reply or note is kept
    for the agent to fix; `draft` is (form, text) and the reason is shown beside that form."""
    where = draft[0] if draft else "thread"
    messages.error(request, reason, extra_tags=where)
    if draft:
        request.session[f"inbox.draft.{pk}.{where}"] = draft[1]
    return _back(request, pk)


def _draft_pop(request: HttpRequest, pk: int, form: str) -> str:
    return request.session.pop(f"inbox.draft.{pk}.{form}", "")


def _form_errors(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _back(request: HttpRequest, pk: int) -> HttpResponse:
    response = redirect("webcare_inbox:conversation", pk=pk)
    # Back to the same list view; re-encoded, so nothing the form carried can break the header.
    query = QueryDict(request.POST.get("list_query", "")).urlencode()
    if query:
        response["Location"] += "?" + query
    return response


@require_GET
@agent_required
def inbox(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_GET
@agent_required
def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(request, pk)
    services.conversation_mark_read(conversation=conversation)
    return _page(request, conversation)


@require_POST
@agent_required
def conversation_reply(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(request, pk)
    form = ReplyForm(request.POST)
    draft = ("reply", request.POST.get("text", "")[: MAX_TEXT * 2])
    if not form.is_valid():
        return _refused(request, pk, _form_errors(form), draft=draft)
    try:
        services.conversation_reply(
            conversation=conversation, agent=request.user, text=form.cleaned_data["text"]
        )
    except services.ReplyRefused as refused:
        return _refused(request, pk, str(refused), draft=draft)
    return _back(request, pk)


@require_POST
@agent_required
def conversation_template(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(request, pk)
    try:
        template = MessageTemplate.objects.get(pk=int(request.POST.get("template", "")))
    except (ValueError, MessageTemplate.DoesNotExist):
        return _refused(request, pk, _("Pick a template."))
    values = {name: request.POST.get(f"var_{name}", "")[:500] for name in template.variables}
    try:
        workflow.conversation_template_send(
            conversation=conversation, template=template, values=values, actor=request.user
        )
    except workflow.ActionRefused as refused:
        return _refused(request, pk, str(refused))
    return _back(request, pk)


@require_POST
@agent_required
def conversation_note(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(request, pk)
    form = NoteForm(request.POST)
    draft = ("note", request.POST.get("text", "")[: MAX_TEXT * 2])
    if not form.is_valid():
        return _refused(request, pk, _form_errors(form), draft=draft)
    try:
        services.conversation_note_add(
            conversation=conversation, agent=request.user, text=form.cleaned_data["text"]
        )
    except services.ReplyRefused as refused:
        return _refused(request, pk, str(refused), draft=draft)
    return _back(request, pk)


@require_POST
@agent_required
def conversation_assign(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(request, pk)
    choice = request.POST.get("agent", "me")
    if request.POST.get("unassign") or choice == "none":
        agent = None
    elif choice == "me":
        agent = request.user
    else:
        agents = assignment.agents_for(team=conversation.team)
        agent = agents.filter(pk=choice).first() if choice.isdigit() else None
        if agent is None:
            return _refused(request, pk, _("That agent cannot take this conversation."))
    assignment.conversation_assign(conversation=conversation, agent=agent, actor=request.user)
    return _back(request, pk)


@require_POST
@agent_required
def conversation_team(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(request, pk)
    value = request.POST.get("team", "")
    team = Team.objects.filter(pk=value).first() if value.isdigit() else None
    if value and team is None:
        return _refused(request, pk, _("No such team."))
    assignment.conversation_team_set(conversation=conversation, team=team, actor=request.user)
    if not listing.conversation_visible(user=request.user, conversation_id=pk):
        return redirect("webcare_inbox:inbox")  # handed to a team this agent is not in
    return _back(request, pk)


@require_POST
@agent_required
def conversation_label(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(request, pk)
    if request.POST.get("remove"):
        label = (
            get_object_or_404(Label, pk=request.POST["remove"])
            if request.POST["remove"].isdigit()
            else None
        )
        if label is None:
            raise Http404
        workflow.conversation_label_remove(
            conversation=conversation, label=label, actor=request.user
        )
        return _back(request, pk)
    try:
        workflow.conversation_label_add(
            conversation=conversation, name=request.POST.get("name", ""), actor=request.user
        )
    except workflow.ActionRefused as refused:
        return _refused(request, pk, str(refused))
    return _back(request, pk)


@require_POST
@agent_required
def conversation_status(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(request, pk)
    action = request.POST.get("action", "")
    if action == "resolve":
        services.conversation_resolve(conversation=conversation, agent=request.user)
    elif action == "reopen":
        workflow.conversation_reopen(conversation=conversation, actor=request.user)
    elif action == "pending":
        workflow.conversation_pending(conversation=conversation, actor=request.user)
    elif action == "snooze":
        form = SnoozeForm(request.POST)
        if not form.is_valid():
            return _refused(request, pk, _form_errors(form))
        try:
            workflow.conversation_snooze(
                conversation=conversation, until=form.moment(), actor=request.user
            )
        except workflow.ActionRefused as refused:
            return _refused(request, pk, str(refused))
    else:
        return _refused(request, pk, _("Unknown action."))
    return _back(request, pk)


@require_POST
@agent_required
def conversation_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    services.conversation_resolve(conversation=_conversation(request, pk), agent=request.user)
    return _back(request, pk)


@require_POST
@agent_required
def conversation_handler(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(request, pk)
    if request.POST.get("handled_by") == "bot":
        workflow.conversation_hand_to_bot(conversation=conversation, actor=request.user)
    else:
        workflow.conversation_take_over(conversation=conversation, actor=request.user)
    return _back(request, pk)


@require_POST
@agent_required
def conversation_channel(request: HttpRequest, pk: int) -> HttpResponse:
    """Continue on another of the person's channels (one with consent)."""
    conversation = _conversation(request, pk)
    value = request.POST.get("contact_point", "")
    target = (
        ContactPoint.objects.filter(pk=value, customer_id=conversation.customer_id).first()
        if value.isdigit()
        else None
    )
    if target is None:
        return _refused(request, pk, _("contact_point: pick one of this person's channels."))
    try:
        channel_switch.conversation_channel_switch(
            conversation=conversation, contact_point=target, actor=request.user
        )
    except channel_switch.SwitchRefused as refused:
        return _refused(request, pk, str(refused))
    return _back(request, pk)


@require_POST
@agent_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST, instance=request.agent_profile)
    if form.is_valid():
        form.save()
    next_url = request.POST.get("next", "")
    return redirect(
        next_url
        if next_url.startswith("/inbox/") and "//" not in next_url
        else "webcare_inbox:inbox"
    )
