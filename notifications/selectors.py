"""Reads: who gets a trip's updates, how an event's deliveries stand, the catalogue's wording."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q

from core import rollout
from core.models import ContactPoint, Passenger, Segment, Trip
from notifications import rendering
from notifications.models import Delivery, DeliveryStatus, MessageTemplate, TripEvent

# Who else hears about a trip event besides its passengers: (trip, event_type) → customer id → a
# recipient row as trip_recipient_contact_points returns it, with the "kind" and "context" of
# the message that person gets. Feature apps register theirs when they load
# (update_groups.apps: the members of the travellers' update groups).
RecipientSource = Callable[[Trip, str], dict[int, dict]]
_RECIPIENT_SOURCES: list[RecipientSource] = []


def recipient_source_register(source: RecipientSource) -> None:
    """Add a source of further recipients; asked in the order registered, once each."""
    if source not in _RECIPIENT_SOURCES:
        _RECIPIENT_SOURCES.append(source)


def trip_recipient_contact_points(*, trip: Trip, event_type: str = "") -> list[dict]:
    """One reachable, opted-in contact point per person travelling on the trip.

    Each row: {"id", "customer_id", "channel", "last_inbound_at"} and optionally "kind" and
    "context" when that person gets a message other than the event's own.

    A person reachable through several bookings (or channels) counts once: the channel whose
    24-hour window is open wins, then the one they wrote on most recently, then WhatsApp.
    """
    rows = ContactPoint.objects.filter(
        customer__passengers__segments__trip=trip, opted_in=True, unreachable_at__isnull=True
    )
    if event_type == "check_in_open":
        # Whoever Thuisfront already told (its own check-in notice) is not told again.
        rows = rows.exclude(customer__in=_told_check_in(trip))
    held = _held_out_customers(trip)
    if held:
        rows = rows.exclude(customer__in=held)
    rows = rows.values("id", "customer_id", "channel", "last_inbound_at").distinct()
    best = one_per_person(rows)
    # A passenger gets the passenger message; anyone a source adds gets theirs once.
    for source in _RECIPIENT_SOURCES:
        for customer_id, row in source(trip, event_type).items():
            best.setdefault(customer_id, row)
    return sorted(best.values(), key=lambda r: r["customer_id"])


def _held_out_customers(trip: Trip) -> set[int]:
    """Passengers of the trip whose booking is in a staged rollout's hold-out (core.rollout)."""
    bookings = set(Segment.objects.filter(trip=trip).values_list("booking_id", flat=True))
    held = rollout.held_out(bookings)
    if not held:
        return set()
    return set(
        Passenger.objects.filter(booking_id__in=held, segments__trip=trip).values_list(
            "customer_id", flat=True
        )
    )


def _told_check_in(trip: Trip):
    return (
        Delivery.objects.filter(trip=trip, kind="check_in_open", event__isnull=True)
        .exclude(status__in=[DeliveryStatus.FAILED, DeliveryStatus.SUPERSEDED])
        .values("customer_id")
    )


def one_per_person(rows: Iterable[dict]) -> dict[int, dict]:
    """customer id → the row of their best contact point (see trip_recipient_contact_points)."""
    best: dict[int, dict] = {}
    for row in rows:
        current = best.get(row["customer_id"])
        if current is None or _preference(row) > _preference(current):
            best[row["customer_id"]] = row
    return best


def _preference(row: dict) -> tuple:
    last = row["last_inbound_at"]
    return (last is not None, last.timestamp() if last else 0, row["channel"] == "whatsapp")


@dataclass(frozen=True)
class Attachment:
    """A file a scheduled message carries (the boarding pass in a departure reminder)."""

    url: str
    content_type: str
    names: dict[str, str]  # what the file is called in each language: {"nl": "instapkaart", …}
    record: Callable[[Delivery], None]  # told which delivery carries it


# (trip, customer) → the file a departure reminder carries, if any. Feature apps register
# theirs when they load (documents.apps: the person's current boarding pass or ticket).
AttachmentSource = Callable[[Trip, object], Attachment | None]
_ATTACHMENT_SOURCES: list[AttachmentSource] = []


def attachment_source_register(source: AttachmentSource) -> None:
    if source not in _ATTACHMENT_SOURCES:
        _ATTACHMENT_SOURCES.append(source)


def trip_attachment(*, trip: Trip, customer) -> Attachment | None:
    """The first registered source's file for this person and trip."""
    for source in _ATTACHMENT_SOURCES:
        found = source(trip, customer)
        if found is not None:
            return found
    return None


DELIVERY_BUCKETS = {
    "pending": [DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.QUEUED],
    "sent": [DeliveryStatus.SENT],
    "delivered": [DeliveryStatus.DELIVERED],
    "read": [DeliveryStatus.READ],
    "failed": [DeliveryStatus.FAILED, DeliveryStatus.UNDELIVERED],
}


def event_delivery_counts(*, event: TripEvent) -> dict[str, int]:
    """Counts per bucket in one query; a superseded delivery counts nowhere (it never went out)."""
    aggregates = {
        bucket: Count("id", filter=Q(status__in=statuses))
        for bucket, statuses in DELIVERY_BUCKETS.items()
    }
    return Delivery.objects.filter(event=event).aggregate(**aggregates)


def quick_reply_fields(
    *,
    kind: str,
    contact_point: ContactPoint,
    buttons: list[tuple[str, str]],
    context: dict,
    values: dict | None = None,
) -> dict:
    """What makes a chat answer's buttons, as message_create arguments (merged into `context`;
    `values` fill the template's variables as for the text).

    Messenger: `quick_replies` with the text. WhatsApp: only a kind named in
    WHATSAPP_QUICK_REPLY_KINDS has buttons — its active Content template (twilio/quick-reply or
    twilio/list-picker, carrying the same ids) goes out with the values filled in; any other
    kind goes as the text, whose wording names what to type.
    """
    if not buttons:
        return {"context": context}
    if contact_point.channel == "messenger":
        return {"context": {**context, "quick_replies": list(buttons)}}
    if kind not in settings.WHATSAPP_QUICK_REPLY_KINDS:
        return {"context": context}
    customer = contact_point.customer
    templates = {
        (t.language, t.formality): t
        for t in MessageTemplate.objects.filter(
            channel=contact_point.channel, kind=kind, active=True
        ).exclude(content_sid="")
    }
    for variant in rendering.template_variants(customer):
        if variant in templates:
            template = templates[variant]
            values = {
                "name": rendering.greeting_name(customer),
                **{k: str(v) for k, v in (values or {}).items()},
            }
            filled = rendering.fill(template.body, template.variables, values)[1]
            return {
                "context": context,
                "template_sid": template.content_sid,
                "template_variables": filled,
            }
    return {"context": context}


def catalogue_text(*, kind: str, contact_point: ContactPoint, context: dict) -> str:
    """The catalogue's wording of `kind` for this person, filled in
    (as a template would be sent)."""
    customer = contact_point.customer
    templates = {
        (t.language, t.formality): t
        for t in MessageTemplate.objects.filter(
            channel=contact_point.channel, kind=kind, active=True
        )
    }
    for variant in rendering.template_variants(customer):
        if variant in templates:
            template = templates[variant]
            values = {
                "name": rendering.greeting_name(customer),
                **{k: str(v) for k, v in context.items()},
            }
            return rendering.fill(template.body, template.variables, values)[0]
    raise MessageTemplate.DoesNotExist(f"no active {kind} wording for {contact_point.channel}")
