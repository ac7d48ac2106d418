"""The chat edge of update groups and of a traveller's own opt-in: inbound messages → services.

These handlers run between the inbox's STOP handler and its conversation handler: the app
registers them with the inbox when it loads (update_groups.apps, webcare_inbox.services.
inbound_handler_register); each returns True when it dealt with the message.
Automated answers are recorded in the person's conversation as handled by the bot; a request
for a person, or anything a follower writes that is not understood, goes to an agent with the
group's trip attached.
"""

from core.models import ContactPoint, InboundMessage, Trip
from update_groups import intents, optin, services
from update_groups.models import GroupMembership
from update_groups.selectors import trips_followed
from webcare_inbox import realtime, selectors
from webcare_inbox.handover import conversation_hand_to_human
from webcare_inbox.models import Conversation, Message
from webcare_inbox.services import inbound_append

_CODE_SOURCES = {
    "whatsapp": GroupMembership.Source.WHATSAPP_CODE,
    "messenger": GroupMembership.Source.MESSENGER_CODE,
}


def _referral_in_postback(inbound: InboundMessage) -> bool:
    postback = inbound.raw.get("postback") if isinstance(inbound.raw, dict) else None
    return isinstance(postback, dict) and isinstance(postback.get("referral"), dict)


def _postback_ref(inbound: InboundMessage) -> str:
    """The ref of the link that opened a new thread (Get Started + referral); "" otherwise."""
    if not _referral_in_postback(inbound):
        return ""
    return str(inbound.raw["postback"]["referral"].get("ref") or "")


def inbound_traveller_opt_in(inbound: InboundMessage, contact_point: ContactPoint) -> bool:
    """The passenger's own opt-in code, sent or opened as a link: this chat becomes theirs."""
    if inbound.kind == InboundMessage.Kind.POSTBACK:
        # The referral row that came with the Get Started tap does the opt-in.
        return intents.opt_in_code_find(_postback_ref(inbound)) is not None
    if inbound.kind == InboundMessage.Kind.REFERRAL:
        code, source = intents.opt_in_code_find(inbound.payload), "opened the m.me link"
    else:
        code = intents.opt_in_code_find(inbound.text)
        source = f"sent the code on {inbound.get_channel_display()}"
    if code is None:
        return False
    optin.traveller_opt_in(
        contact_point=contact_point,
        code=code,
        source=source,
        at=inbound.sent_at,
        ref=str(inbound.pk),
    )
    return True


def inbound_group_join(inbound: InboundMessage, contact_point: ContactPoint) -> bool:
    """A follow code in a message, an m.me?ref= link opened,
    or the Get Started tap that came with one."""
    if inbound.kind == InboundMessage.Kind.POSTBACK:
        # A link that opens a new thread arrives as Get Started + referral: the referral row joins.
        return intents.follow_code_find(_postback_ref(inbound)) is not None
    if inbound.kind == InboundMessage.Kind.REFERRAL:
        code, source, language = (
            intents.follow_code_find(inbound.payload),
            GroupMembership.Source.MESSENGER_LINK,
            None,
        )
    else:
        code, source, language = (
            intents.follow_code_find(inbound.text),
            _CODE_SOURCES[inbound.channel],
            intents.language_guess(inbound.text),
        )
    if code is None:
        return False
    services.group_join(
        contact_point=contact_point, code=code, source=source, language=language, at=inbound.sent_at
    )
    return True


def inbound_group_owner(inbound: InboundMessage, contact_point: ContactPoint) -> bool:
    """The traveller's own commands: who follows me, remove someone, share with everyone."""
    if inbound.kind != InboundMessage.Kind.MESSAGE:
        return False
    text = inbound.text
    if intents.asks_followers(text):
        reply = services.group_followers_send(contact_point=contact_point)
    elif (target := intents.remove_target(text)) is not None:
        reply = services.group_member_remove(
            contact_point=contact_point, target=target, at=inbound.sent_at
        )
    elif (shared := intents.share_text(text)) is not None:
        reply = services.group_share(
            contact_point=contact_point, text=shared, media=inbound.media or [], ref=str(inbound.pk)
        )
    else:
        return False
    return reply.status not in ("not_a_traveller", "not_found")


def inbound_trip_question(inbound: InboundMessage, contact_point: ContactPoint) -> bool:
    """Questions about a followed trip are answered at once; people asked for go to an agent."""
    if inbound.kind != InboundMessage.Kind.MESSAGE:
        return False
    followed = trips_followed(contact_point=contact_point, now=inbound.sent_at)
    if intents.asks_for_person(inbound.text, inbound.payload):
        _to_agent(inbound, contact_point, followed, reason="asked for a person")
        return True
    if inbound.text and intents.is_trip_question(inbound.text):
        reply = services.trip_answer_send(contact_point=contact_point, now=inbound.sent_at)
        if reply.delivery is not None:
            _record_bot_answer(inbound, contact_point, followed, reply)
            return True
    if _follows_a_group(contact_point):
        _to_agent(
            inbound, contact_point, followed, reason="not understood by the automated replies"
        )
        return True
    return False


# The traveller's own code first: it must never be taken for the relatives' invitation.
HANDLERS = [
    inbound_traveller_opt_in,
    inbound_group_join,
    inbound_group_owner,
    inbound_trip_question,
]


def _follows_a_group(contact_point: ContactPoint) -> bool:
    return GroupMembership.objects.filter(
        contact_point=contact_point, left_at__isnull=True, group__ended_at__isnull=True
    ).exists()


def _first_trip(followed: list) -> Trip | None:
    return followed[0][0] if followed else None


def _append(
    inbound: InboundMessage, contact_point: ContactPoint, followed: list
) -> tuple[Conversation, bool]:
    conversation, created = inbound_append(inbound, contact_point)
    if conversation.trip_id is None and followed:
        # A relative travels on no booking: the trip they follow is the one to show.
        conversation.trip = _first_trip(followed)
        conversation.save(update_fields=["trip"])
    return conversation, created


def _to_agent(
    inbound: InboundMessage, contact_point: ContactPoint, followed: list, *, reason: str
) -> None:
    """To the team, told so; a conversation already with the team just gets the message."""
    conversation, created = _append(inbound, contact_point, followed)
    if created or conversation.handled_by == Conversation.HandledBy.BOT:
        conversation_hand_to_human(conversation=conversation, inbound=inbound, reason=reason)


def _record_bot_answer(
    inbound: InboundMessage, contact_point: ContactPoint, followed: list, reply
) -> None:
    if selectors.conversation_active_for(contact_point=contact_point) is None:
        # Created here as the bot's, so nobody is asked to pick up a question already answered.
        Conversation.objects.create(
            customer=contact_point.customer,
            contact_point=contact_point,
            channel=contact_point.channel,
            created_at=inbound.sent_at,
            last_message_at=inbound.sent_at,
            trip=_first_trip(followed),
            handled_by=Conversation.HandledBy.BOT,
        )
    conversation, _ = _append(inbound, contact_point, followed)
    message = Message.objects.create(
        conversation=conversation,
        direction=Message.Direction.OUTBOUND,
        automated=True,
        text=reply.text,
        delivery=reply.delivery,
    )
    realtime.message_added(message=message)
