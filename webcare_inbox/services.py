"""Conversations: what people send us lands here, agents answer, notes stay inside."""

import logging
import re
from collections.abc import Callable

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import ContactPoint, InboundMessage
from core.services import (
    contact_point_for_inbound,
    contact_point_opt_in,
    contact_point_opt_out,
    contact_point_touch_inbound,
)
from core.trips import trip_current_or_next
from notifications.models import Lane, MessageKind
from notifications.services import message_create
from webcare_inbox import realtime, selectors
from webcare_inbox.assignment import conversation_assign, conversation_auto_assign  # noqa: F401 (views, tests)
from webcare_inbox.audit import audit_record
from webcare_inbox.automated import automated_message_add
from webcare_inbox.csat import csat_ask, inbound_csat_answer
from webcare_inbox.handover import conversation_hand_to_human
from webcare_inbox.models import Conversation, Message

log = logging.getLogger(__name__)

# Chat keywords count only as the whole message, in any case, with punctuation, emoji or spaces
# around it ("Stop!", " STOPPEN "); in a sentence ("ik wil stoppen met roken") they are a message.
# Two-word forms count as one ("stop all", "opt-out"). Not CANCEL, END or QUIT, which SMS opt-out
# lists have: a traveller writing "cancel" may mean their booking, and that is for the team.
OPT_OUT_WORDS = {
    "STOP",
    "AFMELDEN",
    "UITSCHRIJVEN",
    "STOPPEN",
    "UNSUBSCRIBE",
    "STOPALL",
    "OPTOUT",
    "UITSCHRIJVING",
}
OPT_IN_WORDS = {"START", "AANMELDEN", "UNSTOP"}
_WORD = re.compile(r"[^\W_]+")
# Why a conversation left automation, as the agent reads it in the thread.
NOT_ANSWERED = "not answered by the automated replies"
# What the providers accept as one text message (characters, counted as Unicode code points):
# Twilio refuses a WhatsApp Body over 1,600, the Send API a Messenger text over 2,000. A longer
# reply is refused, not split: separate sends are not guaranteed to arrive in order.
REPLY_MAX_LENGTH = {"whatsapp": 1600, "messenger": 2000}


def reply_limit(channel: str) -> int:
    return REPLY_MAX_LENGTH.get(channel, min(REPLY_MAX_LENGTH.values()))


def reply_text_clean(text: str) -> str:
    """What goes out: a browser's CRLF line ends as LF, no surrounding blank space."""
    return text.replace("\r\n", "\n").strip()


class ReplyRefused(Exception):
    """An agent's reply that may not go out; the message is shown to the agent as is."""


# --- Inbound routing ------------------------------------------------------------------------------

# A handler takes a claimed inbound message and its contact point and returns True when it dealt
# with it. They run in order; the conversation handler at the end takes whatever is left.
InboundHandler = Callable[[InboundMessage, ContactPoint], bool]


def inbound_process(*, inbound: InboundMessage) -> bool:
    """Route one stored inbound message, once; returns False when it was already processed.

    The claim is a conditional update inside the transaction: a redelivered task waits for the
    first to commit and then finds nothing to claim; if the first failed, everything rolls back
    and the message stays unprocessed for the sweep.
    """
    try:
        with transaction.atomic():
            claimed = InboundMessage.objects.filter(
                pk=inbound.pk, processed_at__isnull=True
            ).update(processed_at=timezone.now(), attempts=F("attempts") + 1, last_error="")
            if claimed != 1:
                return False
            _route(InboundMessage.objects.get(pk=inbound.pk))
    except Exception as exc:
        InboundMessage.objects.filter(pk=inbound.pk, processed_at__isnull=True).update(
            attempts=F("attempts") + 1, last_error=f"{exc.__class__.__name__}: {exc}"[:2000]
        )
        raise
    return True


def _route(inbound: InboundMessage) -> None:
    cp = contact_point_for_inbound(
        channel=inbound.channel,
        address=inbound.from_address,
        provider_user_id=inbound.provider_user_id,
        profile_name=inbound.profile_name,
    )
    # One person's messages are handled one at a time, so two workers never open two conversations.
    cp = ContactPoint.objects.select_for_update().select_related("customer").get(pk=cp.pk)
    InboundMessage.objects.filter(pk=inbound.pk).update(contact_point=cp)
    inbound.contact_point = cp
    contact_point_touch_inbound(contact_point=cp, at=inbound.sent_at)
    for handler in INBOUND_HANDLERS:
        if handler(inbound, cp):
            return


def chat_keyword(inbound: InboundMessage) -> str:
    """The keyword a message consists of, upper case ("STOP"), or "" for anything else."""
    if inbound.kind != InboundMessage.Kind.MESSAGE:
        return ""
    words = _WORD.findall(inbound.text)
    word = "".join(words).upper() if 0 < len(words) <= 2 else ""
    return word if word in OPT_OUT_WORDS | OPT_IN_WORDS else ""


def inbound_opt_out(inbound: InboundMessage, contact_point: ContactPoint) -> bool:
    """STOP, AFMELDEN …: no more proactive messages to this address, and one confirmation."""
    if chat_keyword(inbound) not in OPT_OUT_WORDS:
        return False
    contact_point_opt_out(contact_point=contact_point, source="chat STOP", at=inbound.sent_at)
    delivery = message_create(
        contact_point=contact_point,
        kind=MessageKind.OPT_OUT_CONFIRMATION,
        lane=Lane.INTERACTIVE,
        dedupe_key=f"optout:{inbound.pk}",
    )
    _keyword_answer_show(
        inbound,
        contact_point,
        delivery,
        note="Opt-out confirmed: no more proactive messages on this channel.",
    )
    return True


def inbound_opt_in(inbound: InboundMessage, contact_point: ContactPoint) -> bool:
    """START / AANMELDEN: proactive messages again (update groups stay left), one confirmation."""
    word = chat_keyword(inbound)
    if word not in OPT_IN_WORDS:
        return False
    again = contact_point_opt_in(
        contact_point=contact_point, source=f"chat keyword {word}", at=inbound.sent_at
    )
    delivery = message_create(
        contact_point=contact_point,
        kind=MessageKind.OPT_IN_AGAIN_CONFIRMATION if again else MessageKind.OPT_IN_ALREADY,
        lane=Lane.INTERACTIVE,
        dedupe_key=f"optin:{inbound.pk}",
    )
    note = "Opted in again: proactive messages on this channel." if again else "Already opted in."
    _keyword_answer_show(inbound, contact_point, delivery, note=note)
    return True


def _keyword_answer_show(
    inbound: InboundMessage, contact_point: ContactPoint, delivery, *, note: str
) -> None:
    """An agent in the middle of a conversation with this person sees the keyword and our answer."""
    conversation = selectors.conversation_active_for(contact_point=contact_point)
    if conversation is None:
        return
    _message_append(conversation, inbound_message=inbound)
    automated_message_add(conversation=conversation, text=note, delivery=delivery)


def inbound_append(
    inbound: InboundMessage, contact_point: ContactPoint
) -> tuple[Conversation, bool]:
    """Add the message to the person's open conversation, or start one; True when it is new."""
    conversation = selectors.conversation_active_for(contact_point=contact_point)
    created = conversation is None
    if created:
        conversation = Conversation.objects.create(
            customer=contact_point.customer,
            contact_point=contact_point,
            channel=contact_point.channel,
            created_at=inbound.sent_at,
            last_message_at=inbound.sent_at,
        )
    if conversation.trip_id is None:
        conversation.trip = trip_current_or_next(customer=contact_point.customer)
    _message_append(conversation, inbound_message=inbound)
    return conversation, created


def inbound_to_conversation(inbound: InboundMessage, contact_point: ContactPoint) -> bool:
    """Everything no automated reply answered: it is for a person, and the person hears so."""
    conversation, created = inbound_append(inbound, contact_point)
    if created:
        conversation_hand_to_human(conversation=conversation, inbound=inbound)
    elif conversation.handled_by == Conversation.HandledBy.BOT:
        conversation_hand_to_human(conversation=conversation, inbound=inbound, reason=NOT_ANSWERED)
    conversation_observers_notify(conversation.pk)
    return True


# Called with a conversation's id after a message for the team landed in it, once committed
# (contact_reasons.apps: predict the contact reason). Observers must be quick: queue a task.
ConversationObserver = Callable[[int], None]
CONVERSATION_OBSERVERS: list[ConversationObserver] = []


def conversation_observer_register(observer: ConversationObserver) -> None:
    if observer not in CONVERSATION_OBSERVERS:
        CONVERSATION_OBSERVERS.append(observer)


def conversation_observers_notify(conversation_id: int) -> None:
    for observer in CONVERSATION_OBSERVERS:
        transaction.on_commit(lambda o=observer: o(conversation_id))


INBOUND_HANDLERS: list[InboundHandler] = [
    inbound_opt_out,
    inbound_opt_in,
    inbound_csat_answer,
    inbound_to_conversation,
]


def inbound_handler_register(handler: InboundHandler, *, ahead: bool = False) -> None:
    """A feature app's handler (update_groups.apps): tried after the inbox's keywords and the
    satisfaction answer, before the conversation handler; in the order registered, first wins.
    `ahead` puts one of the inbox's own (the call-back handler) before every feature app's."""
    if handler in INBOUND_HANDLERS:
        return
    if ahead:
        INBOUND_HANDLERS.insert(INBOUND_HANDLERS.index(inbound_csat_answer) + 1, handler)
    else:
        INBOUND_HANDLERS.insert(INBOUND_HANDLERS.index(inbound_to_conversation), handler)


def _inbound_text(inbound: InboundMessage) -> str:
    if inbound.kind == InboundMessage.Kind.REFERRAL:
        return (
            f"Opened a link to this chat (ref: {inbound.payload})"
            if inbound.payload
            else "Opened a link to this chat"
        )
    if inbound.kind == InboundMessage.Kind.POSTBACK:
        return inbound.text or f"Pressed a button ({inbound.payload})"
    return inbound.text


def _preview(text: str, media: list) -> str:
    if text:
        return " ".join(text.split())[:200]
    return f"[{len(media)} attachment{'s' if len(media) != 1 else ''}]" if media else ""


def _message_append(conversation: Conversation, *, inbound_message: InboundMessage) -> Message:
    text = _inbound_text(inbound_message)
    message = Message.objects.create(
        conversation=conversation,
        direction=Message.Direction.INBOUND,
        channel=inbound_message.channel,
        inbound=inbound_message,
        text=text,
        media=inbound_message.media or [],
        created_at=inbound_message.sent_at,
    )
    conversation.status = Conversation.Status.OPEN
    conversation.snoozed_until = None
    conversation.last_message_at = max(conversation.last_message_at, inbound_message.sent_at)
    conversation.last_message_preview = _preview(text, message.media)
    conversation.unread = F("unread") + 1
    conversation.save()
    conversation.refresh_from_db(fields=["unread"])
    realtime.message_added(message=message)
    realtime.conversation_changed(conversation=conversation)
    return message


# --- Agents ---------------------------------------------------------------------------------------


@transaction.atomic
def conversation_reply(*, conversation: Conversation, agent, text: str) -> Message:
    """Send an agent's free text, if the 24-hour window (or Messenger's HUMAN_AGENT week) allows."""
    text = reply_text_clean(text)
    if not text:
        raise ReplyRefused(_("Write a reply first."))
    limit = reply_limit(conversation.channel)
    if len(text) > limit:
        raise ReplyRefused(
            _(
                "Not sent: this reply has %(length)s characters and %(channel)s takes "
                "at most %(limit)s in one message. Shorten it, or send it in parts."
            )
            % {"length": len(text), "channel": conversation.get_channel_display(), "limit": limit}
        )
    contact_point = ContactPoint.objects.get(pk=conversation.contact_point_id)
    window = selectors.contact_point_window(contact_point=contact_point)
    if not window.can_reply:
        raise ReplyRefused(_("Not sent: %(reason)s") % {"reason": window.explanation})
    delivery = message_create(
        contact_point=contact_point, kind=MessageKind.AGENT_REPLY, lane=Lane.INTERACTIVE, text=text
    )
    message = Message.objects.create(
        conversation=conversation,
        direction=Message.Direction.OUTBOUND,
        author=agent,
        text=text,
        delivery=delivery,
    )
    Conversation.objects.filter(pk=conversation.pk).update(
        last_message_at=message.created_at, last_message_preview=_preview(text, [])
    )
    if conversation.handled_by == Conversation.HandledBy.BOT:
        # An agent answering takes the conversation over: automation stops answering this person.
        Conversation.objects.filter(pk=conversation.pk).update(
            handled_by=Conversation.HandledBy.HUMAN, handover_reason="an agent replied"
        )
        conversation.handled_by, conversation.handover_reason = (
            Conversation.HandledBy.HUMAN,
            "an agent replied",
        )
        audit_record(conversation=conversation, actor=agent, action="handed_to_human")
    realtime.message_added(message=message)
    realtime.conversation_changed(conversation=conversation)
    return message


def conversation_note_add(*, conversation: Conversation, agent, text: str) -> Message:
    """A private note for colleagues: stored and shown in the thread, never sent."""
    text = reply_text_clean(text)
    if not text:
        raise ReplyRefused(_("Write the note first."))
    message = Message.objects.create(
        conversation=conversation, direction=Message.Direction.NOTE, author=agent, text=text
    )
    mentioned = selectors.agents_mentioned(text=text, author=agent)
    if mentioned:
        message.mentions.set(mentioned)
        realtime.mentioned(message=message, user_ids=[u.pk for u in mentioned])
    realtime.message_added(message=message)
    return message


@transaction.atomic
def conversation_resolve(
    *, conversation: Conversation, agent=None, ask_csat: bool = True
) -> Conversation:
    """Done for now; the person gets the satisfaction question,
    and their next message starts anew."""
    if conversation.status == Conversation.Status.RESOLVED:
        return conversation
    conversation.status = Conversation.Status.RESOLVED
    conversation.unread = 0
    conversation.snoozed_until = None
    conversation.save(update_fields=["status", "unread", "snoozed_until"])
    audit_record(conversation=conversation, actor=agent, action="resolved")
    if ask_csat:
        csat_ask(conversation=conversation)
    realtime.conversation_changed(conversation=conversation)
    return conversation


def conversation_mark_read(*, conversation: Conversation) -> None:
    if conversation.unread:
        Conversation.objects.filter(pk=conversation.pk).update(unread=0)
        conversation.unread = 0
        realtime.conversation_changed(conversation=conversation)


def message_delivery_updated(*, delivery) -> Message | None:
    """A provider status moved: the message's tick follows."""
    message = Message.objects.select_related("delivery").filter(delivery=delivery).first()
    if message is not None:
        realtime.message_status_changed(message=message)
    else:  # a proactive notification: its tick in the person's open thread
        realtime.notifications_changed(delivery_ids=[delivery.pk])
    return message
