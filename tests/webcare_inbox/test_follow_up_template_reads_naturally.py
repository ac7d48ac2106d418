"""The follow-up template an agent sends outside the window, in all four variants."""

import pytest

from notifications import rendering
from notifications.models import MessageTemplate

EXPECTED = {
    ("nl", "formal"): (
        "Beste Anna, we hebben een antwoord over uw koffer. "
        "Stuur ons een bericht, dan sturen we u het antwoord hier."
    ),
    ("nl", "informal"): (
        "Hoi Anna, we hebben een antwoord over je koffer. "
        "Stuur ons even een berichtje, dan sturen we je het antwoord hier."
    ),
    ("en", "formal"): (
        "Dear Anna, we have an answer about your bag. "
        "Send us a message and we will share it with you here."
    ),
    ("en", "informal"): (
        "Hi Anna, we have an answer about your bag. "
        "Send us a message and we'll share it with you here."
    ),
}
TOPIC = {
    ("nl", "formal"): "uw koffer",
    ("nl", "informal"): "je koffer",
    ("en", "formal"): "your bag",
    ("en", "informal"): "your bag",
}


@pytest.mark.django_db
@pytest.mark.parametrize("channel", ["whatsapp", "messenger"])
@pytest.mark.parametrize(("language", "formality"), list(EXPECTED))
def test_follow_up_wording(channel, language, formality):
    template = MessageTemplate.objects.get(
        channel=channel, kind="agent_follow_up", language=language, formality=formality
    )
    text, _ = rendering.fill(
        template.body, template.variables, {"name": "Anna", "topic": TOPIC[language, formality]}
    )
    assert text == EXPECTED[language, formality]
