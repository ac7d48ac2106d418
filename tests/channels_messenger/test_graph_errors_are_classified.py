"""Graph API errors → whether to retry, give up, or stop messaging the person."""

import json

import httpx
import pytest

from channels_messenger.adapter import MessengerAdapter
from core.messaging import DeliveryError, OutboundMessage, run
from core.models import ContactPoint
from notifications.models import Delivery, DeliveryStatus, MessageKind
from notifications.services import deliveries_send, message_create
from tests.channels_messenger.conftest import PSID, SEND_URL, fixture, open_window


def send(text: str = "Hello") -> str:
    return run(
        MessengerAdapter("messenger").send(
            OutboundMessage(
                delivery_id="d1", channel="messenger", to=PSID, text=text, messaging_type="RESPONSE"
            )
        )
    )


def failure(graph, response: httpx.Response | Exception) -> DeliveryError:
    graph.post(SEND_URL).mock(side_effect=[response])
    with pytest.raises(DeliveryError) as caught:
        send()
    return caught.value


@pytest.mark.parametrize(
    ("name", "status", "code", "permanent", "unreachable", "says"),
    [
        ("error_outside_window", 400, "10/2018278", True, False, "24-hour window is closed"),
        ("error_person_unavailable", 400, "551/1545041", True, True, "cannot receive messages"),
        ("error_no_matching_user", 400, "100/2018001", True, True, "cannot receive messages"),
        ("error_permission", 403, "10", True, False, "lacks a permission"),
        ("error_permissions_200", 403, "200", True, False, "lacks a permission"),
        ("error_invalid_token", 401, "190", True, False, "no longer valid"),
        ("error_invalid_parameter", 400, "100", True, False, "refused the request as invalid"),
        ("error_rate_limit_613", 400, "613", False, False, "rate limit"),
        ("error_rate_limit_4", 400, "4", False, False, "rate limit"),
        ("error_rate_limit_32", 400, "32", False, False, "rate limit"),
        ("error_temporary_1200", 500, "1200", False, False, "temporary failure"),
        ("error_unexpected_2", 500, "2", False, False, "temporary failure"),
    ],
)
def test_graph_error(messenger, graph, name, status, code, permanent, unreachable, says):
    error = failure(graph, httpx.Response(status, json=fixture(name)))

    assert (error.code, error.permanent, error.unreachable) == (code, permanent, unreachable)
    assert says in error.message
    assert fixture(name)["error"]["message"] in error.message  # Meta's own words, for the operator


def test_server_error_without_a_graph_body_is_transient(messenger, graph):
    error = failure(graph, httpx.Response(502, text="<html>Bad Gateway</html>"))

    assert not error.permanent and error.code == "502"


def test_timeout_and_connection_errors_are_transient(messenger, graph):
    timeout = failure(graph, httpx.ReadTimeout("read timed out"))
    refused = failure(graph, httpx.ConnectError("connection refused"))

    assert not timeout.permanent and timeout.code == "timeout" and "in time" in timeout.message
    assert (
        not refused.permanent
        and refused.code == "connection"
        and "could not reach" in refused.message
    )


def test_rate_limit_honours_retry_after_and_metas_regain_estimate(messenger, graph):
    with_header = failure(
        graph,
        httpx.Response(429, headers={"Retry-After": "30"}, json=fixture("error_rate_limit_613")),
    )
    usage = json.dumps(
        {
            "1000000000001": [
                {"type": "messenger", "call_count": 100, "estimated_time_to_regain_access": 4}
            ]
        }
    )
    with_usage = failure(
        graph,
        httpx.Response(
            400, headers={"X-Business-Use-Case-Usage": usage}, json=fixture("error_rate_limit_4")
        ),
    )

    assert with_header.retry_after == 30.0
    assert with_usage.retry_after == 240.0


def test_success_without_a_message_id_is_not_taken_as_sent(messenger, graph):
    error = failure(graph, httpx.Response(200, json={"recipient_id": PSID}))

    assert not error.permanent and "without a message_id" in error.message


# --- What the delivery and the person's record show -----------------------------------------


@pytest.mark.django_db
def test_person_unavailable_fails_the_delivery_and_marks_the_address_unreachable(
    messenger, graph, messenger_person
):
    graph.post(SEND_URL).respond(400, json=fixture("error_person_unavailable"))
    open_window(messenger_person)
    delivery = message_create(
        contact_point=messenger_person, kind=MessageKind.AGENT_REPLY, text="Hi"
    )

    assert deliveries_send(ids=[delivery.pk]).failed == 1

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.error_code == "551/1545041"
    assert "isn't available right now" in delivery.error_message
    assert ContactPoint.objects.get(pk=messenger_person.pk).unreachable_code == "551/1545041"


@pytest.mark.django_db
def test_window_closed_fails_the_message_but_keeps_the_address(messenger, graph, messenger_person):
    graph.post(SEND_URL).respond(400, json=fixture("error_outside_window"))
    open_window(messenger_person)
    delivery = message_create(
        contact_point=messenger_person, kind=MessageKind.AGENT_REPLY, text="Hi"
    )

    deliveries_send(ids=[delivery.pk])

    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.FAILED
    assert ContactPoint.objects.get(pk=messenger_person.pk).unreachable_at is None


@pytest.mark.django_db
def test_rate_limit_puts_the_delivery_back_for_later(messenger, graph, messenger_person):
    graph.post(SEND_URL).respond(400, json=fixture("error_rate_limit_613"))
    open_window(messenger_person)
    delivery = message_create(
        contact_point=messenger_person, kind=MessageKind.AGENT_REPLY, text="Hi"
    )

    result = deliveries_send(ids=[delivery.pk])

    delivery.refresh_from_db()
    assert result.retry == {"interactive": [delivery.pk]} and result.retry_in > 0
    assert delivery.status == DeliveryStatus.PENDING and delivery.not_before is not None
