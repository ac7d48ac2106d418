"""The demo's webcare inbox: a team, labels, canned replies and three conversations that show
each case of the composer at once (free text inside the 24-hour window, Messenger's
HUMAN_AGENT week, templates only), one assigned to the demo agent and one with a private note.

The messages go through the same inbound processing as a real phone's, with their own provider
ids, so running the seed again finds them instead of adding more.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from core.models import ContactPoint, InboundMessage
from core.services import inbound_store
from webcare_inbox.assignment import conversation_assign, conversation_team_set
from webcare_inbox.models import CannedReply, Conversation, Label, Message, Team
from webcare_inbox.services import conversation_note_add, inbound_process

TEAM = "Webcare"
LABELS = ["baggage", "delay", "rebooking", "special assistance"]
CANNED_REPLIES = {
    "delay-en": (
        "Hi {name}, your flight {route} ({trip}) is now expected to leave at {departure} and "
        "to land at {arrival}. We will let you know here as soon as anything changes. {agent}"
    ),
    "vertraging-nl": (
        "Beste {name}, uw vlucht {route} ({trip}) vertrekt naar verwachting om "
        "{departure} en landt rond {arrival}. Verandert er iets, dan hoort u het hier meteen. "
        "Met vriendelijke groet, {agent}"
    ),
    "gate-nl": "Hoi {name}, je vlucht {route} vertrekt vanaf gate {gate}. Goede reis! {agent}",
    "baggage-en": (
        "Hi {name}, your ticket includes one piece of hand luggage (55 x 35 x 25 cm, up to "
        "12 kg) and one small personal item. {agent}"
    ),
}


@dataclass(frozen=True)
class DemoConversation:
    provider_id: str
    channel: str
    address: str
    ago: timedelta  # when the person wrote, before the seed ran
    texts: tuple[str, ...]
    label: str
    assign_to_agent: bool = False
    note: str = ""


CONVERSATIONS = [
    # Inside the window: free text; assigned to the demo agent.
    DemoConversation(
        "demo-in-bram",
        "whatsapp",
        "+31687654321",
        timedelta(minutes=12),
        ("Hi! Can I take my guitar on board as hand luggage?",),
        "baggage",
        assign_to_agent=True,
    ),
    # Messenger, 30 hours ago: outside the 24 hours, inside the HUMAN_AGENT week; with a note.
    DemoConversation(
        "demo-in-sophie",
        "messenger",
        "demo-psid-sophie",
        timedelta(hours=30),
        ("Hoi! Kan er op Heathrow een rolstoel voor me klaarstaan? Ik heb mijn enkel verzwikt.",),
        "special assistance",
        note="@admin weet jij of we assistentie op Heathrow via de boeking kunnen regelen?",
    ),
    # WhatsApp, two days ago: the window is closed, only an approved template may go out.
    DemoConversation(
        "demo-in-anna",
        "whatsapp",
        "+31612345678",
        timedelta(days=2),
        (
            "Goedemiddag, ik zou graag omboeken naar een latere vlucht.",
            "Kan dat nog, en wat kost het?",
        ),
        "rebooking",
    ),
]


def seed_inbox(*, agent, admin) -> None:
    team, _ = Team.objects.get_or_create(name=TEAM)
    team.members.add(agent, admin)
    for name in LABELS:
        Label.objects.get_or_create(name=name)
    for shortcut, body in CANNED_REPLIES.items():
        CannedReply.objects.get_or_create(shortcut=shortcut, defaults={"body": body})
    now = timezone.now()
    for demo in CONVERSATIONS:
        _conversation(demo, now=now, team=team, agent=agent)


def _received(demo: DemoConversation, now) -> list[InboundMessage]:
    """The person's messages, stored and processed once (a minute apart)."""
    rows = []
    for i, text in enumerate(demo.texts):
        row, _ = inbound_store(
            channel=demo.channel,
            provider_message_id=f"{demo.provider_id}-{i + 1}",
            from_address=demo.address,
            text=text,
            sent_at=now - demo.ago + timedelta(minutes=i),
        )
        inbound_process(inbound=row)  # a no-op when an earlier run (or the worker) processed it
        rows.append(row)
    return rows


def _conversation(demo: DemoConversation, *, now, team, agent) -> None:
    if not ContactPoint.objects.filter(channel=demo.channel, address=demo.address).exists():
        return
    first = _received(demo, now)[0]
    message = Message.objects.filter(inbound_id=first.pk).select_related("conversation").first()
    if message is None:  # handled without a conversation (e.g. the person sent STOP meanwhile)
        return
    conversation: Conversation = message.conversation
    if conversation.team_id is None:
        conversation_team_set(conversation=conversation, team=team)
    conversation.labels.add(Label.objects.get(name=demo.label))
    if demo.assign_to_agent and conversation.assignee_id is None:
        conversation_assign(conversation=conversation, agent=agent)
    if demo.note and not conversation.messages.filter(direction=Message.Direction.NOTE).exists():
        conversation_note_add(conversation=conversation, agent=agent, text=demo.note)
