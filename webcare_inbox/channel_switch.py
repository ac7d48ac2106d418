"""Continuing a conversation on another channel of the same person: the agent's choice, or the
person's own ("antwoord me via WhatsApp", "reply on Messenger").

Only a channel the person has consent on (opted in, not unreachable) can take over. The
conversation keeps one history: every message shows the channel it went on, and an open
conversation on the other channel is folded into this one. What may be sent there is decided
by the one window rule (notifications.services.reply_window): free text inside its 24-hour
window, an approved template outside it (the composer offers only those then).
"""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Channel, ContactPoint, InboundMessage
from notifications.models import Lane, MessageKind
from notifications.selectors import catalogue_text
from notifications.services import message_create
from webcare_inbox import realtime, selectors
from webcare_inbox.audit import audit_record
from webcare_inbox.automated import automated_message_add
from webcare_inbox.models import Conversation, Message
from webcare_inbox.services import conversation_observers_notify, inbound_append

_NAMES = selectors.CHANNEL_NAMES
_VERB = (
    r"(antwoord\w*|reageer|reageren|stuur|sturen|appen|app|contact|answer|reply|"
    r"respond|message|text|write|continue|verder)"
)
_WHERE = r"(via|op|over|on)\s+(whatsapp|messenger|facebook)"
# Either order: "antwoord me via WhatsApp", "kunnen jullie via WhatsApp antwoorden?".
_ASKS = re.compile(rf"\b{_VERB}\b.{{0,30}}\b{_WHERE}\b|\b{_WHERE}\b.{{0,30}}\b{_VERB}\b")


class SwitchRefused(Exception):
    """The channel cannot take over; the text says why (shown to the agent)."""


def switch_targets(*, conversation: Conversation) -> list[dict]:
    """The person's other channels with consent, and whether free text may go there now."""
    rows = []
    for cp in ContactPoint.objects.filter(customer_id=conversation.customer_id).exclude(
        pk=conversation.contact_point_id
    ):
        if not cp.reachable:
            continue
        window = selectors.contact_point_window(contact_point=cp)
        rows.append({"id": cp.pk, "channel": cp.channel, "name": _NAMES.get(cp.channel, cp.channel),
                     "address": cp.address, "free_text": window.can_reply})  # fmt: skip
    return rows


@transaction.atomic
def conversation_channel_switch(
    *, conversation: Conversation, contact_point: ContactPoint, actor
) -> Conversation:
    if contact_point.customer_id != conversation.customer_id:
        raise SwitchRefused(_("That channel belongs to someone else."))
    if contact_point.pk == conversation.contact_point_id:
        return conversation
    if not contact_point.reachable:
        raise SwitchRefused(
            _("%(channel)s: no consent to write to this person there.")
            % {"channel": _NAMES.get(contact_point.channel)}
        )
    before = conversation.channel
    other = (
        Conversation.objects.filter(contact_point=contact_point)
        .exclude(status=Conversation.Status.RESOLVED)
        .exclude(pk=conversation.pk)
    )
    for folded in other:
        Message.objects.filter(conversation=folded).update(conversation=conversation)
        folded.status = Conversation.Status.RESOLVED
        folded.save(update_fields=["status"])
    conversation.contact_point = contact_point
    conversation.channel = contact_point.channel
    conversation.save(update_fields=["contact_point", "channel"])
    audit_record(
        conversation=conversation,
        actor=actor,
        action="channel_switched",
        detail=f"{_NAMES.get(before, before)} → {_NAMES.get(contact_point.channel)}",
    )
    realtime.conversation_changed(conversation=conversation)
    return conversation


def asked_channel(text: str) -> str | None:
    match = _ASKS.search(" ".join((text or "").lower().split()))
    if not match:
        return None
    return Channel.WHATSAPP if "whatsapp" in match.group(0) else Channel.MESSENGER


def inbound_channel_request(inbound: InboundMessage, contact_point: ContactPoint) -> bool:
    """The person asks to be answered elsewhere: on a channel they have consent on, the
    conversation moves there and they hear so here; otherwise it is for the agent to read."""
    wanted = asked_channel(inbound.text)
    if wanted is None or wanted == contact_point.channel:
        return False
    target = (
        ContactPoint.objects.filter(customer_id=contact_point.customer_id, channel=wanted)
        .order_by("-last_inbound_at")
        .first()
    )
    if target is None or not target.reachable:
        return False
    conversation, _created = inbound_append(inbound, contact_point)
    conversation_observers_notify(conversation.pk)
    _confirm(conversation, contact_point, wanted, inbound)
    conversation_channel_switch(conversation=conversation, contact_point=target, actor=None)
    return True


def _confirm(conversation: Conversation, contact_point: ContactPoint, wanted: str, inbound) -> None:
    context = {"channel": _NAMES[wanted]}
    text = catalogue_text(
        kind=MessageKind.CHANNEL_SWITCHED, contact_point=contact_point, context=context
    )
    delivery = message_create(
        contact_point=contact_point,
        kind=MessageKind.AUTOMATED_REPLY,
        lane=Lane.INTERACTIVE,
        text=text,
        context={**context, "answer_kind": MessageKind.CHANNEL_SWITCHED},
        dedupe_key=f"channel-switch:{inbound.pk}:{timezone.now().timestamp()}",
    )
    automated_message_add(
        conversation=conversation, text=text, delivery=delivery, channel=contact_point.channel
    )
