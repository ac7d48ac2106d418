"""What Thuisfront itself says in a conversation (a hand-over note, a survey question, a thank
you, a call-back time): the outbound message in the thread, shown live."""

from webcare_inbox import realtime
from webcare_inbox.models import Conversation, Message


def automated_message_add(
    *, conversation: Conversation, text: str, delivery=None, **fields
) -> Message:
    """The automated outbound message `text` (sent as `delivery`) in the conversation's thread,
    shown at once to whoever has it open."""
    message = Message.objects.create(
        conversation=conversation,
        direction=Message.Direction.OUTBOUND,
        automated=True,
        text=text,
        delivery=delivery,
        **fields,
    )
    realtime.message_added(message=message)
    return message
