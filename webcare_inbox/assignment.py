"""Who works a conversation: an agent, a team, or the next available agent in turn (round-robin)."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from webcare_inbox import realtime
from webcare_inbox.audit import audit_record
from webcare_inbox.models import AgentProfile, Conversation, Team
from webcare_inbox.selectors import AGENTS_GROUP, user_name

ACTIVE = (Conversation.Status.OPEN, Conversation.Status.PENDING, Conversation.Status.SNOOZED)


def agent_profile(*, user) -> AgentProfile:
    profile, _ = AgentProfile.objects.get_or_create(user=user)
    return profile


def agents_for(*, team: Team | None):
    """The agents a conversation can go to: the team's members,
    or every agent when it has no team."""
    users = get_user_model().objects.filter(is_active=True)
    if team is not None:
        return users.filter(inbox_teams=team)
    return users.filter(Q(groups__name=AGENTS_GROUP) | Q(is_superuser=True)).distinct()


def conversation_assign(*, conversation: Conversation, agent, actor=None) -> Conversation:
    """Give the conversation to an agent (None: back to the unassigned queue)."""
    if conversation.assignee_id == (agent.pk if agent else None):
        return conversation
    conversation.assignee = agent
    conversation.save(update_fields=["assignee"])
    if agent is not None:
        audit_record(
            conversation=conversation, actor=actor, action="assigned", detail=user_name(agent)
        )
    else:
        audit_record(conversation=conversation, actor=actor, action="unassigned")
    realtime.conversation_changed(conversation=conversation)
    return conversation


def conversation_team_set(
    *, conversation: Conversation, team: Team | None, actor=None
) -> Conversation:
    """Route to a team; an assignee outside that team lets go, so the team's queue sees it."""
    previous = conversation.team_id
    if previous == (team.pk if team else None):
        return conversation
    conversation.team = team
    fields = ["team"]
    if (
        team is not None
        and conversation.assignee_id
        and not team.members.filter(pk=conversation.assignee_id).exists()
    ):
        conversation.assignee = None
        fields.append("assignee")
    conversation.save(update_fields=fields)
    audit_record(
        conversation=conversation, actor=actor, action="team", detail=team.name if team else "-"
    )
    realtime.conversation_changed(conversation=conversation, previous_team_id=previous)
    return conversation


@transaction.atomic
def conversation_auto_assign(*, conversation: Conversation) -> object | None:
    """Round-robin: the available agent who waited longest for a conversation, below their cap.

    The candidates' profiles are locked, so two conversations arriving at once go to two agents
    (or, at the cap, not to one agent twice).
    """
    candidates = (
        AgentProfile.objects.select_for_update()
        .filter(available=True, user__in=agents_for(team=conversation.team))
        .order_by(F("last_assigned_at").asc(nulls_first=True), "pk")
    )
    profiles = list(candidates)
    if not profiles:
        return None
    load = dict(
        Conversation.objects.filter(
            assignee_id__in=[p.user_id for p in profiles], status__in=ACTIVE
        )
        .values("assignee_id")
        .annotate(n=Count("pk"))
        .values_list("assignee_id", "n")
    )
    chosen = next((p for p in profiles if load.get(p.user_id, 0) < p.max_open), None)
    if chosen is None:
        return None
    AgentProfile.objects.filter(pk=chosen.pk).update(last_assigned_at=timezone.now())
    conversation.assignee = chosen.user
    conversation.save(update_fields=["assignee"])
    audit_record(
        conversation=conversation, actor=None, action="auto_assigned", detail=user_name(chosen.user)
    )
    realtime.conversation_changed(conversation=conversation)
    return chosen.user
