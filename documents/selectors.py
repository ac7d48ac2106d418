"""Reads: a document by its link, a passenger's current one, and what it was sent as."""

from django.utils import timezone

from core.models import Channel, ContactPoint, Customer, Trip
from documents.links import document_url, link_expires_at
from documents.models import Document
from notifications.models import Delivery
from webcare_inbox.selectors import delivery_tick


def passenger_contact_point(*, customer: Customer) -> ContactPoint | None:
    """Where a document reaches the passenger: an open window first, then WhatsApp."""
    return (
        customer.contact_points.filter(opted_in=True, unreachable_at__isnull=True)
        .order_by("-last_inbound_at", "-channel")
        .first()
    )


def document_current(*, trip: Trip, customer: Customer) -> Document | None:
    """The person's current document for this trip (the boarding pass before a ticket)."""
    return (
        Document.objects.filter(
            trip=trip, passenger__customer=customer, superseded_at__isnull=True, purged_at=None
        )
        .order_by("kind", "-created_at")
        .first()
    )


def document_deliveries(*, document: Document) -> list[Delivery]:
    return list(document.deliveries.select_related("contact_point").order_by("created_at"))


def document_detail(*, document: Document) -> dict:
    """What the API shows: the document, its versions, and every message that carried it."""
    replaced_by = Document.objects.filter(replaces=document).values_list("pk", flat=True).first()
    expires = link_expires_at(document)
    return {
        "id": document.pk,
        "kind": document.kind,
        "booking": document.booking.reference,
        "passenger": document.passenger.pax_id,
        "trip": document.trip.key,
        "seat": document.seat,
        "gate": document.gate,
        "boarding_time": document.boarding_time,
        "barcode_format": document.barcode_format,
        "size": document.size,
        "state": "current" if document.current else "replaced",
        "replaces": document.replaces_id,
        "replaced_by": replaced_by,
        "url": document_url(document) if document.current and expires > timezone.now() else None,
        "link_expires_at": expires,
        "first_fetched_at": document.first_fetched_at,
        "created_at": document.created_at,
        "deliveries": [
            {
                "id": d.pk,
                "kind": d.kind,
                "channel": d.channel,
                "to": d.contact_point.address,
                "status": d.status,
                "template": bool(d.template_sid),
                "error_code": d.error_code,
                "error_message": d.error_message,
                "created_at": d.created_at,
                "sent_at": d.sent_at,
                "delivered_at": d.delivered_at,
                "read_at": d.read_at,
            }
            for d in document_deliveries(document=document)
        ],
    }


def panel_rows(customer: Customer) -> list[dict]:
    """The inbox panel's card: each document the person was issued, newest first, and its state."""
    rows = []
    documents = (
        Document.objects.filter(passenger__customer=customer)
        .select_related("trip")
        .prefetch_related("deliveries")
        .order_by("-created_at")[:10]
    )
    for document in documents:
        own = [d for d in document.deliveries.all() if d.kind == document.kind]
        rows.append(
            {
                "kind": document.kind,
                "trip": document.trip.key,
                "seat": document.seat,
                "gate": document.gate,
                "current": document.current,
                "created_at": document.created_at,
                "status": delivery_tick(own[0])[0] if own else "",
                "channel": Channel(own[0].channel).label if own else "",
                "fetched": document.first_fetched_at is not None,
                "url": document_url(document)
                if document.current and link_expires_at(document) > timezone.now()
                else "",
            }
        )
    return rows
