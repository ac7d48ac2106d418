"""A template arrives as its filled-in text (never its HX id) and links in messages can be
tapped."""

import re

import pytest

from notifications.models import MessageTemplate
from sandbox.models import SandboxMessage


def chat(agent_client, contact_point) -> str:
    return agent_client.get(f"/sandbox/phone/{contact_point.pk}/chat/").content.decode()


def received(contact_point, **fields) -> SandboxMessage:
    return SandboxMessage.objects.create(
        channel=contact_point.channel,
        to=contact_point.address,
        provider_message_id="SMtest" + fields.pop("id"),
        **fields,
    )


@pytest.mark.django_db
def test_a_template_shows_its_filled_in_text_not_its_id(agent_client, person):
    anna = person("+31612345678")
    tpl = MessageTemplate.objects.get(
        channel="whatsapp", kind="check_in_open", language="nl", formality="formal"
    )
    # What Twilio gets for a template: only ContentSid and ContentVariables, no Body.
    received(
        anna,
        id="1",
        template_sid=tpl.content_sid,
        text="",
        template_variables={
            "1": "Anna de Vries",
            "2": "KL1001",
            "3": "Londen",
            "4": "morgen",
            "5": "https://klm.example/checkin",
        },
    )

    html = chat(agent_client, anna)

    bubble = html[html.index('data-key="SMtest1"') :]
    bubble = bubble[: bubble.index("</time>")]
    assert tpl.content_sid not in html and "HX" not in html
    assert (
        "Anna de Vries" in bubble
        and "KL1001" in bubble
        and "Londen" in bubble
        and "{{" not in bubble
    )
    assert ">template</span>" in bubble
    assert (
        '<a href="https://klm.example/checkin" target="_blank" rel="noopener noreferrer">' in bubble
    )


@pytest.mark.django_db
def test_only_http_links_become_links_and_markup_stays_text(agent_client, person):
    anna = person("+31612345678")
    received(
        anna,
        id="2",
        text=(
            "Omboeken: https://klm.example/rebook?ref=DEMO01&lang=nl.\n"
            "Niet klikbaar: javascript:alert(1) "
            '<a href="javascript:alert(2)">x</a> data:text/html,hi'
        ),
    )

    html = chat(agent_client, anna)

    links = re.findall(r'<a href="([^"]*)"[^>]*>', html)
    assert links == [
        "https://klm.example/rebook?ref=DEMO01&amp;lang=nl"
    ]  # the full stop is not part of it
    assert 'rel="noopener noreferrer"' in html
    assert "&lt;a href=&quot;javascript:alert(2)&quot;&gt;x&lt;/a&gt;" in html
    assert "nl</a>.<br>Niet klikbaar" in html
