"""What the composer offers: templates (filled from the person and trip) and canned replies."""

import re
from dataclasses import dataclass

from core.airports import local_time
from notifications import rendering
from notifications.models import MessageKind, MessageTemplate
from webcare_inbox.labels import MESSAGE_TITLE
from webcare_inbox.models import CannedReply, Conversation

# What an agent may pick outside the window: a follow-up, the satisfaction question, trip news.
PICKABLE_KINDS = (
    MessageKind.AGENT_FOLLOW_UP,
    MessageKind.CSAT_QUESTION,
    MessageKind.CHECK_IN_OPEN,
    MessageKind.GATE_CHANGED,
    MessageKind.BOARDING,
    MessageKind.DELAYED,
    MessageKind.DEPARTED,
    MessageKind.ARRIVED,
    MessageKind.CANCELLED,
)
_CANNED_VARIABLE = re.compile(r"\{(\w+)\}")


def _context(conversation: Conversation) -> dict[str, str]:
    customer = conversation.customer
    context = {"name": rendering.greeting_name(customer, conversation.contact_point.profile_name)}
    trip = conversation.trip
    if trip is not None:
        context.update(rendering.trip_context(trip=trip, customer=customer, data={}))
        context["topic"] = trip.service
    else:
        context["topic"] = "uw vraag" if customer.language == "nl" else "your question"
    return context


def templates_for(*, conversation: Conversation) -> list[MessageTemplate]:
    """Active templates on this channel in the person's language (their form of address first)."""
    customer = conversation.customer
    kinds = PICKABLE_KINDS if conversation.trip_id else PICKABLE_KINDS[:2]
    rows = MessageTemplate.objects.filter(channel=conversation.channel, kind__in=kinds, active=True)
    chosen: dict[str, MessageTemplate] = {}
    preference = rendering.template_variants(customer)
    for template in rows:
        rank = (
            preference.index((template.language, template.formality))
            if (template.language, template.formality) in preference
            else None
        )
        current = chosen.get(template.kind)
        if rank is not None and (
            current is None or rank < preference.index((current.language, current.formality))
        ):
            chosen[template.kind] = template
    return [chosen[k] for k in kinds if k in chosen]


@dataclass
class Filled:
    text: str
    values: dict[str, str]  # {"1": …, "2": …} as the provider takes them


def template_values(
    *,
    conversation: Conversation,
    template: MessageTemplate,
    overrides: dict[str, str] | None = None,
) -> Filled:
    context = _context(conversation)
    for name, value in (overrides or {}).items():
        value = " ".join(str(value).split())
        if name in template.variables and value:
            context[name] = value
    text, values = rendering.fill(template.body, template.variables, context)
    return Filled(text, values)


def template_choices(*, conversation: Conversation) -> list[dict]:
    """For the picker: each template with its variables already filled in (editable)."""
    choices = []
    for template in templates_for(conversation=conversation):
        context = _context(conversation)
        choices.append(
            {
                "id": template.pk,
                "kind": MESSAGE_TITLE.get(template.kind, template.get_kind_display()),
                "body": template.body,
                "preview": template_values(conversation=conversation, template=template).text,
                "variables": [
                    {"name": name, "value": context.get(name, "")} for name in template.variables
                ],
            }
        )
    return choices


def canned_context(*, conversation: Conversation, agent) -> dict[str, str]:
    customer = conversation.customer
    trip = conversation.trip
    values = {
        "name": rendering.greeting_name(customer, conversation.contact_point.profile_name),
        "agent": (agent.first_name or agent.get_username()) if agent else "",
        "trip": trip.key if trip else "",
        "route": f"{trip.origin} → {trip.destination}" if trip else "",
        "departure": local_time(trip.departure, trip.origin).strftime("%H:%M") if trip else "",
        "arrival": local_time(trip.arrival, trip.destination).strftime("%H:%M") if trip else "",
        "gate": trip.gate if trip else "",
    }
    return values


def canned_render(body: str, values: dict[str, str]) -> str:
    """{name} etc. filled in; an unknown {word} stays as written, for the agent to see and fix."""
    return _CANNED_VARIABLE.sub(lambda m: values.get(m.group(1), m.group(0)) or m.group(0), body)


def canned_replies_for(*, conversation: Conversation, agent) -> list[dict]:
    values = canned_context(conversation=conversation, agent=agent)
    return [
        {"shortcut": c.shortcut, "text": canned_render(c.body, values)}
        for c in CannedReply.objects.all()[:100]
    ]
