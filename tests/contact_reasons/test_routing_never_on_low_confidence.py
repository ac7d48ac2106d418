"""A reason routes a new conversation to its team only when the model is sure enough."""

import pytest

from contact_reasons import services
from contact_reasons.models import ReasonPrediction, ReasonRoute
from tests.contact_reasons.conftest import agent, receive  # noqa: F401
from webcare_inbox.models import Conversation, Team

pytestmark = pytest.mark.django_db(transaction=True)


def test_confident_prediction_routes_and_a_doubtful_one_does_not(labelled, few_labels_needed):
    labelled()
    services.model_train()
    team = Team.objects.create(name="Baggage desk")
    route = ReasonRoute.objects.create(reason="baggage", team=team, min_confidence=0.0)

    receive("koffer kwijt, bagage niet aangekomen, mijn koffer is weg", address="+31600000001")
    first = Conversation.objects.get(contact_point__address="+31600000001")
    prediction = ReasonPrediction.objects.get(conversation=first)
    assert prediction.reason == "baggage"
    sure = prediction.confidence >= 0.6  # the floor in force: CONTACT_REASONS_ROUTE_FLOOR
    assert (first.team == team) is sure and (prediction.routed_to == team) is sure

    route.min_confidence = 0.999
    route.save()
    receive("mijn koffer is kwijt", address="+31600000002")
    second = Conversation.objects.get(contact_point__address="+31600000002")
    assert ReasonPrediction.objects.get(conversation=second).confidence < 0.999
    assert second.team is None
