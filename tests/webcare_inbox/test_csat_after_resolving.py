"""After resolving, the person is asked for a 1–5 score in their language;
the answer is kept and shown."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sandbox.models import SandboxMessage
from tests.webcare_inbox.conftest import receive
from webcare_inbox.csat import csat_score_in
from webcare_inbox.models import Conversation


@pytest.mark.django_db(transaction=True)
def test_resolving_asks_and_a_digit_is_the_answer(agent_client, make_booking):
    make_booking()  # Anna de Vries, Dutch, formal, on +31612345678
    receive("Is mijn vlucht op tijd?")
    conversation = Conversation.objects.get()

    assert (
        agent_client.post(f"/inbox/c/{conversation.pk}/status/", {"action": "resolve"}).status_code
        == 302
    )

    question = SandboxMessage.objects.filter(to="+31612345678").order_by("pk").last()
    assert question.text.startswith(
        "Beste Anna de Vries, hoe tevreden bent u over onze hulp, op een schaal van 1 tot 5?"
    )
    assert question.template_sid.startswith("HX")  # the quick-reply template, in the window too

    receive("4")
    conversation = Conversation.objects.get()  # no new conversation for the score
    assert conversation.csat_score == 4 and conversation.status == "resolved"
    page = agent_client.get(f"/inbox/c/{conversation.pk}/").content.decode()
    assert "CSAT 4/5" in page

    receive("5")  # another button tapped: the score changes, still no new conversation
    assert (
        Conversation.objects.count() == 1
        and Conversation.objects.get(pk=conversation.pk).csat_score == 5
    )


@pytest.mark.django_db(transaction=True)
def test_outside_the_window_the_question_is_a_template(agent, make_booking):
    from webcare_inbox.services import conversation_resolve

    make_booking()
    receive("Hello", sent_at=timezone.now() - timedelta(hours=30))
    SandboxMessage.objects.all().delete()
    conversation_resolve(conversation=Conversation.objects.get(), agent=agent)
    question = SandboxMessage.objects.get()
    assert question.template_sid.startswith("HX") and question.template_variables == {
        "1": "Anna de Vries"
    }


@pytest.mark.django_db(transaction=True)
def test_someone_without_consent_is_asked_only_inside_the_window(agent):
    from webcare_inbox.services import conversation_resolve

    receive("Hello", address="+31600000001")
    receive("Hello", address="+31600000002", sent_at=timezone.now() - timedelta(hours=30))
    for conversation in Conversation.objects.all():
        conversation_resolve(conversation=conversation, agent=agent)
    questions = SandboxMessage.objects.filter(text__contains="on a scale of 1 to 5")
    assert list(questions.values_list("to", flat=True)) == ["+31600000001"]


@pytest.mark.parametrize(
    "text,score",
    [
        ("4", 4),
        (" 5! ", 5),
        ("3/5", 3),
        ("1.", 1),
        ("6", 3),
        ("4 bags", None),
        ("0612345678", None),
        ("", None),
    ],
)
def test_what_counts_as_a_score(text, score):
    assert csat_score_in(text) == score
