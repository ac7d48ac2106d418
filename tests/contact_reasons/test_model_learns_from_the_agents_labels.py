"""The agents' labels train a versioned model; its suggestion is one click to accept or correct."""

import pytest

from contact_reasons import services
from contact_reasons.models import ReasonLabel, ReasonModel, ReasonPrediction
from tests.contact_reasons.conftest import agent, agent_client, receive  # noqa: F401
from webcare_inbox.models import Conversation

pytestmark = pytest.mark.django_db(transaction=True)


def test_trained_model_suggests_and_the_agent_accepts(agent_client, labelled, few_labels_needed):
    labelled()
    model = services.model_train()
    assert model.version == 1 and model.examples == 248
    assert model.counts["baggage"] > 20 and model.cv_accuracy is not None

    receive("Hoi, mijn koffer is kwijt na de vlucht uit Malaga, band 7 was leeg", address="+31699")
    conversation = Conversation.objects.get(contact_point__address="+31699")
    prediction = ReasonPrediction.objects.get(conversation=conversation)
    assert (prediction.reason, prediction.model.version) == ("baggage", 1)

    page = agent_client.get(f"/inbox/c/{conversation.pk}/").content.decode()
    assert "Suggested reason" in page
    assert f"baggage · {round(prediction.confidence * 100)}%" in page

    agent_client.post(f"/inbox/reasons/c/{conversation.pk}/", {"reason": "baggage"})
    label = ReasonLabel.objects.get(conversation=conversation)
    assert (label.reason, label.source, label.prediction) == ("baggage", "accepted", prediction)


def test_a_correction_replaces_the_label_and_teaches_the_next_version(
    agent_client, labelled, few_labels_needed
):
    labelled()
    services.model_train()
    receive("Kan ik mijn vlucht naar Rome verzetten naar zondag?", address="+31699999999")
    conversation = Conversation.objects.get(contact_point__address="+31699999999")
    agent_client.post(f"/inbox/reasons/c/{conversation.pk}/", {"reason": "refund"})
    agent_client.post(f"/inbox/reasons/c/{conversation.pk}/", {"reason": "rebooking"})
    label = ReasonLabel.objects.get(conversation=conversation)
    assert label.reason == "rebooking"
    assert list(conversation.labels.values_list("name", flat=True)) == ["rebooking"]

    second = services.model_retrain_if_labels_changed()
    assert second.version == 2 and second.examples == 249
    assert services.model_retrain_if_labels_changed() is None  # nothing new since


def test_too_few_labels_train_nothing(labelled, few_labels_needed):
    labelled(30)
    try:
        services.model_train()
    except services.NotEnoughLabels as why:
        assert str(why) == "30 of the 40 labelled conversations needed"
    else:
        raise AssertionError("trained on too few labels")
    assert not ReasonModel.objects.exists()


def test_later_messages_do_not_repeat_the_prediction(labelled, few_labels_needed):
    labelled()
    services.model_train()
    for text in ["koffer kwijt", "band 7", "nog steeds niks", "hallo?", "???"]:
        receive(text, address="+31677777777")
    conversation = Conversation.objects.get(contact_point__address="+31677777777")
    # One per message while the first three are coming in, then the words stop changing.
    assert ReasonPrediction.objects.filter(conversation=conversation).count() == 3
