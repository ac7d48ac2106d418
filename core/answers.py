"""The booking documents the bookings API answers with (CONTRACT.md §4): passengers with their
current consent and links, segments with the trip's live status in local time.

Three queries for any number of bookings, reading values rather than model instances: a bulk
answer carries a thousand passengers. A booking just stored (stored_documents) costs one: its
segments, trips and rollout offer are what its batch wrote (core.bookings.StoredBooking), and
its passengers' addresses, read back with every address of their person, also give its consent
warnings.
"""

from typing import Any

from django.conf import settings
from django.db.models import Q

from core.airports import local_time
from core.bookings import BookingData, StoredBooking, StoredSegment, stored_last
from core.models import Booking, ConsentRecord, ContactPoint, Passenger, Segment, Trip
from core.rollout import booking_offers


def booking_document(booking: Booking) -> dict[str, Any]:
    return booking_documents([booking])[0]


def booking_documents(bookings: list[Booking]) -> list[dict[str, Any]]:
    ids = [b.pk for b in bookings]
    return _documents(bookings, _passengers(ids), _segments(ids), booking_offers(ids))


def stored_documents(stored: list[StoredBooking]) -> list[dict[str, Any]]:
    """The answer for each booking just stored (core.services.bookings_store), in order, with
    its `warnings` (consent_warnings): one query, two when an opt-in did not count."""
    last = stored_last(stored)  # a booking stored twice is answered as it was stored last
    ids = list(last)
    passengers = _passengers(ids)
    segments = {pk: [_stored_segment(seg) for seg in s.segments] for pk, s in last.items()}
    offers = {pk: s.offer for pk, s in last.items()}
    documents = _documents([s.booking for s in stored], passengers, segments, offers)
    warnings = _stored_warnings(
        [s.data for s in stored], [passengers.get(s.booking.pk, []) for s in stored]
    )
    return [{**doc, "warnings": w} for doc, w in zip(documents, warnings)]


def _documents(bookings, passengers, segments, offers) -> list[dict[str, Any]]:
    for pk, offer in offers.items():
        if not offer.offered:
            # Outside its rollout stage (or held out): no links to offer proactive messaging.
            for passenger in passengers.get(pk, []):
                passenger["opt_in_links"] = None
    return [
        {
            "reference": b.reference,
            "check_in_url": b.check_in_url,
            "passengers": passengers.get(b.pk, []),
            "segments": segments.get(b.pk, []),
            "rollout": _rollout(offers[b.pk]),
            "created_at": b.created_at,
            "updated_at": b.updated_at,
        }
        for b in bookings
    ]


def _rollout(offer) -> dict[str, Any]:
    return {
        "in_rollout": offer.offered,
        "holdout": offer.holdout,
        "plan": offer.plan or None,
        "stage_percent": offer.percent,
    }


def _passengers(booking_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each booking's passengers, with every address of their person (one query)."""
    contact = "customer__contact_points__"
    rows = (
        Passenger.objects.filter(booking_id__in=booking_ids)
        .order_by("booking_id", "pax_id", f"{contact}channel", f"{contact}id")
        .values_list(
            "booking_id",
            "pk",
            "pax_id",
            "given_name",
            "family_name",
            "language",
            "formality",
            "follow_code",
            "opt_in_code",
            f"{contact}channel",
            f"{contact}address",
            f"{contact}opted_in",
            f"{contact}opted_out_at",
        )
    )
    links = _chat_links()
    result: dict[int, list[dict[str, Any]]] = {}
    last = None
    for booking, pk, pax, given, family, lang, form, follow, own, *address in rows:
        if pk != last:
            last, contacts = pk, []
            result.setdefault(booking, []).append(
                {
                    "id": pax,
                    "given_name": given,
                    "family_name": family,
                    "language": lang,
                    "formality": form,
                    "contacts": contacts,
                    "follow_code": follow,
                    "invitation_links": links(follow),
                    "opt_in_code": own,
                    "opt_in_links": links(own),
                }
            )
        channel, where, opted_in, opted_out_at = address
        if channel is not None:
            contacts.append(
                {
                    "channel": channel,
                    "address": where,
                    "opt_in": opted_in,
                    "opted_out_at": opted_out_at,
                }
            )
    return result


def _chat_links():
    """services.chat_links, with the settings read once for the whole answer."""
    number = "".join(c for c in settings.WHATSAPP_PUBLIC_NUMBER if c.isdigit())
    page = settings.MESSENGER_PAGE_NAME

    def links(code: str) -> dict[str, str]:
        return {
            "whatsapp": f"https://wa.me/{number}?text={code}",
            "messenger": f"https://m.me/{page}?ref={code}",
        }

    return links


def _segments(booking_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each booking's segments with their passengers (one query) and trips (one more)."""
    rows = list(
        Segment.objects.filter(booking_id__in=booking_ids)
        .order_by("booking_id", "position", "pk")
        .values_list("pk", "booking_id", "trip_id", "passengers__pax_id")
    )
    trips = {t.pk: _trip(t) for t in Trip.objects.filter(pk__in={r[2] for r in rows})}
    result: dict[int, list[dict[str, Any]]] = {}
    last = None
    for segment, booking, trip, pax in rows:
        if segment != last:
            last, members = segment, []
            doc = {**trips[trip], "passengers": members, "live": dict(trips[trip]["live"])}
            result.setdefault(booking, []).append(doc)
        if pax is not None:
            members.append(pax)
    for segments in result.values():
        for doc in segments:
            doc["passengers"].sort()
    return result


def _stored_segment(segment: StoredSegment) -> dict[str, Any]:
    trip = _trip(segment.trip)
    members = sorted({p.pax_id for p in segment.passengers})
    return {**trip, "passengers": members, "live": dict(trip["live"])}


def _trip(trip: Trip) -> dict[str, Any]:
    def at(moment, airport):
        return local_time(moment, airport) if moment else None

    return {
        "trip": trip.key,
        "origin": trip.origin,
        "destination": trip.destination,
        "scheduled_departure": local_time(trip.scheduled_departure, trip.origin),
        "scheduled_arrival": local_time(trip.scheduled_arrival, trip.destination),
        "live": {
            "status": trip.status,
            "estimated_departure": at(trip.estimated_departure, trip.origin),
            "estimated_arrival": at(trip.estimated_arrival, trip.destination),
            "actual_departure": at(trip.actual_departure, trip.origin),
            "actual_arrival": at(trip.actual_arrival, trip.destination),
            "gate": trip.gate,
            "terminal": trip.terminal,
            "baggage_belt": trip.baggage_belt,
            "reason": trip.status_reason,
            "diverted_to": trip.diverted_to,
            "updated_at": trip.status_updated_at,
        },
    }


def consent_warnings(bookings: list[BookingData]) -> list[list[dict[str, str]]]:
    """For each booking, each `opt_in: true` that did not count because the address opted out
    after the consent (STOP, a provider's opt-out, erasure): two queries for all of them."""
    wanted = _opt_ins(bookings)
    if not wanted:
        return [[] for _ in bookings]
    match = Q()
    for channel in {key[0] for *_, key in wanted}:
        addresses = {key[1] for *_, key in wanted if key[0] == channel}
        match |= Q(channel=channel, address__in=addresses)
    refused = {
        (cp.channel, cp.address): cp.opted_out_at
        for cp in ContactPoint.objects.filter(match, opted_in=False, opted_out_at__isnull=False)
    }
    return _warnings(bookings, wanted, lambda n, key: refused.get(key))


def _stored_warnings(
    bookings: list[BookingData], passengers: list[list[dict[str, Any]]]
) -> list[list[dict[str, str]]]:
    """consent_warnings for bookings just stored, from their passengers' documents (every
    address of their person, as stored): a booking's addresses are its passengers' own."""
    wanted = _opt_ins(bookings)
    if not wanted:
        return [[] for _ in bookings]
    states = [
        {(c["channel"], c["address"]): c for p in docs for c in p["contacts"]}
        for docs in passengers
    ]

    def refused(n: int, key: tuple[str, str]):
        state = states[n].get(key)
        if state is None or state["opt_in"] or state["opted_out_at"] is None:
            return None
        return state["opted_out_at"]

    return _warnings(bookings, wanted, refused)


def _opt_ins(bookings: list[BookingData]) -> list[tuple[int, int, int, tuple[str, str]]]:
    return [
        (n, i, j, (c.channel, c.address))
        for n, booking in enumerate(bookings)
        for i, passenger in enumerate(booking.passengers)
        for j, c in enumerate(passenger.contacts)
        if c.opt_in
    ]


def _warnings(bookings, wanted, refused) -> list[list[dict[str, str]]]:
    """refused(n, (channel, address)) → when the address opted out, if its opt-in did not
    count; the withdrawals' sources are read in one query when there are any."""
    result: list[list[dict[str, str]]] = [[] for _ in bookings]
    found = [(n, i, j, key, refused(n, key)) for n, i, j, key in wanted]
    found = [f for f in found if f[4] is not None]
    if not found:
        return result
    match = Q()
    for channel in {key[0] for *_, key, _ in found}:
        addresses = {key[1] for *_, key, _ in found if key[0] == channel}
        match |= Q(contact_point__channel=channel, contact_point__address__in=addresses)
    withdrawals: dict[tuple[str, str], str] = {}
    records = ConsentRecord.objects.filter(match, action=ConsentRecord.Action.OPT_OUT)
    for channel, address, source in records.order_by("at", "pk").values_list(
        "contact_point__channel", "contact_point__address", "source"
    ):
        withdrawals[(channel, address)] = source  # the last one stays
    for n, i, j, key, opted_out_at in found:
        how = f" ({withdrawals[key]})" if key in withdrawals else ""
        result[n].append(
            {
                "field": f"passengers[{i}].contacts[{j}].opt_in",
                "message": f"not opted in: this address opted out at "
                f"{opted_out_at.isoformat()}{how}; only a consent given after that, "
                "sent as opt_in_at, opts it in again",
            }
        )
    return result
