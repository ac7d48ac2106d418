"""The sandbox pages: the phone simulator and the operator panel.

Both are for signed-in staff and agents, and see only sandbox-channel people (sandbox/access.py).
"""

import hashlib
import json
import uuid
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.models import Channel, ContactPoint, Trip
from core.trips import TripEventRefused
from notifications.services import IdempotencyConflict, trip_event_publish
from sandbox import access, selectors
from sandbox.forms import (
    EVENT_FORMS,
    LinkOpenForm,
    PhoneMessageForm,
    WhatsAppNumberForm,
    initial_values,
)
from sandbox.services import (
    sandbox_inbound_send,
    sandbox_link_open,
    sandbox_messages_mark_read,
    sandbox_new_number,
    sandbox_own_opt_in_open,
)
from sandbox.wire import page_id

# --- Phone simulator --------------------------------------------------------------------------


@access.sandbox_user_required
def phone_index(request):
    first = (
        access.contact_points().order_by("customer__given_name", "customer_id", "channel").first()
    )
    if first is not None:
        return redirect("sandbox:phone_person", pk=first.pk)
    context = {"people": [], "contact_point": None, **_opt_in_context()}
    return render(request, "sandbox/phone.html", context)


def _chat_context(contact_point: ContactPoint) -> dict:
    return {
        "contact_point": contact_point,
        "chat": selectors.phone_chat(contact_point=contact_point),
        "page": settings.MESSENGER_PAGE_NAME or page_id(),
    }


def _contact_point(pk: int) -> ContactPoint:
    """Only a sandbox-channel address exists here: a real channel's person is a 404."""
    return get_object_or_404(access.contact_points().select_related("customer"), pk=pk)


@access.sandbox_user_required
@never_cache
def phone_person(request, pk: int):
    contact_point = _contact_point(pk)
    sandbox_messages_mark_read(channel=contact_point.channel, address=contact_point.address)
    context = {
        **_chat_context(contact_point),
        "people": selectors.phone_contact_points(),
        "message_form": PhoneMessageForm(),
        "link_form": LinkOpenForm(),
        "follow_codes": selectors.follow_codes(),
        **_opt_in_context(),
    }
    return render(request, "sandbox/phone.html", context)


def _opt_in_context() -> dict:
    """The travellers' booking confirmation pages, and the channels their links can open on."""
    return {
        "confirmation_pages": selectors.confirmation_pages(),
        "opt_in_channels": access.sandbox_channels(),
        "new_number": sandbox_new_number(),
    }


@access.sandbox_user_required
@never_cache
def phone_chat(request, pk: int):
    """The chat alone, polled by the page; an open, visible chat counts as read."""
    contact_point = _contact_point(pk)
    if request.GET.get("seen") == "1":
        sandbox_messages_mark_read(channel=contact_point.channel, address=contact_point.address)
    return render(request, "sandbox/_chat.html", _chat_context(contact_point))


@access.sandbox_user_required
def phone_file(request, pk: int, file_id: int, part: str):
    """A file the phone received: the file itself (as the phone keeps it) or its first page."""
    contact_point = _contact_point(pk)
    message = selectors.phone_file(contact_point=contact_point, pk=file_id)
    if message is None or (part == "preview" and not message.media_preview):
        raise Http404("no such file on this phone")
    if part == "preview":
        return HttpResponse(bytes(message.media_preview), content_type="image/png")
    response = HttpResponse(bytes(message.media_file), content_type=message.media_content_type)
    response["Content-Disposition"] = f'inline; filename="{message.media_filename}"'
    return response


def _back_to_phone(request, contact_point: ContactPoint):
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)
    return redirect("sandbox:phone_person", pk=contact_point.pk)


@access.sandbox_user_required
@require_POST
def phone_send(request, pk: int):
    contact_point = _contact_point(pk)
    form = PhoneMessageForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    sandbox_inbound_send(contact_point=contact_point, text=form.cleaned_data["text"])
    return _back_to_phone(request, contact_point)


@access.sandbox_user_required
@require_POST
def phone_link_open(request, pk: int):
    contact_point = _contact_point(pk)
    form = LinkOpenForm(request.POST)
    if contact_point.channel != Channel.MESSENGER:
        return HttpResponse(
            "only a Messenger identity can open an m.me link", status=400, content_type="text/plain"
        )
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    sandbox_link_open(contact_point=contact_point, ref=form.cleaned_data["ref"])
    return _back_to_phone(request, contact_point)


def _plain_error(text: str) -> HttpResponse:
    return HttpResponse(text, status=400, content_type="text/plain")


def _field_errors(form) -> str:
    """ "number: … is not a valid phone number", one line per problem (plain text, unescaped)."""
    lines = (f"{field}: {message}" for field, errors in form.errors.items() for message in errors)
    return "\n".join(lines)


@access.sandbox_user_required
@require_POST
def phone_own_opt_in(request, passenger_id: int, channel: str):
    """Open a traveller's own opt-in link as them, from a new Messenger identity or a number."""
    passenger = get_object_or_404(access.passengers().select_related("customer"), pk=passenger_id)
    if channel not in Channel.values or not access.channel_on_sandbox(channel):
        return _plain_error(f"channel: {channel!r} is not a channel on the sandbox here")
    number = ""
    if channel == Channel.WHATSAPP:
        form = WhatsAppNumberForm(request.POST, passenger=passenger)
        if not form.is_valid():
            return _plain_error(_field_errors(form))
        number = form.cleaned_data["number"]
    contact_point = sandbox_own_opt_in_open(passenger=passenger, channel=channel, number=number)
    return redirect("sandbox:phone_person", pk=contact_point.pk)


# --- Operator panel ---------------------------------------------------------------------------


def _event_forms(trip: Trip, bound=None) -> list:
    forms = []
    for type_, form_class in EVENT_FORMS.items():
        if bound is not None and bound.type == type_:
            forms.append(bound)
        else:
            forms.append(
                form_class(trip=trip, prefix=type_, initial=initial_values(trip, uuid.uuid4().hex))
            )
    return forms


def _operator_page(request, trip: Trip | None, bound=None, status: int = 200):
    context = {
        "trips": selectors.operator_trips(),
        "trip": trip,
        "event_forms": _event_forms(trip, bound) if trip else [],
        "open_type": bound.type if bound is not None else "delayed",  # a delay is the usual demo
        **(_activity_context(trip) if trip else {}),
    }
    return render(request, "sandbox/operator.html", context, status=status)


def _activity_context(trip: Trip) -> dict:
    return {
        "trip": trip,
        "events": selectors.trip_recent_events(trip=trip),
        "deliveries": selectors.recent_deliveries(),
    }


@access.sandbox_user_required
@never_cache
def operator(request):
    trips = access.trips().order_by("-local_date", "scheduled_departure")
    trip = (
        trips.filter(pk=request.GET.get("trip")).first()
        if request.GET.get("trip", "").isdigit()
        else trips.first()
    )
    return _operator_page(request, trip)


@access.sandbox_user_required
@never_cache
def operator_activity(request, trip_id: int):
    trip = get_object_or_404(access.trips(), pk=trip_id)
    return render(request, "sandbox/_activity.html", _activity_context(trip))


def _as_json(value):
    return value.isoformat() if isinstance(value, datetime) else value


@access.sandbox_user_required
@require_POST
def operator_event(request, trip_id: int, type: str):
    trip = get_object_or_404(access.trips(), pk=trip_id)
    form_class = EVENT_FORMS.get(type)
    if form_class is None:
        return HttpResponse(f"unknown event type {type!r}", status=400, content_type="text/plain")
    form = form_class(request.POST, trip=trip, prefix=type)
    if not form.is_valid():
        return _operator_page(request, trip, bound=form, status=400)
    data = form.event_data()
    payload = {name: _as_json(value) for name, value in data.items()}
    body = json.dumps({"type": type, **payload}, sort_keys=True)
    try:
        event, created = trip_event_publish(
            trip=trip,
            type=type,
            data=data,
            payload=payload,
            idempotency_key=form.cleaned_data["idempotency_key"],
            request_hash=hashlib.sha256(body.encode()).hexdigest(),
        )
    except IdempotencyConflict:
        messages.error(
            request, "This form was already sent with other values; nothing was sent again."
        )
        return redirect(f"{reverse('sandbox:operator')}?trip={trip.pk}")
    except TripEventRefused as exc:
        messages.error(request, f"Nothing was sent: {exc}.")
        return redirect(f"{reverse('sandbox:operator')}?trip={trip.pk}")
    verb = "sent to" if created else "was already sent to"
    messages.success(request, f"{form.label} for {trip.key} {verb} {event.recipients} people.")
    return redirect(f"{reverse('sandbox:operator')}?trip={trip.pk}")
