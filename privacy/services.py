"""Erasure, export and retention, over what every app declared (core/data_protection.py).

One erasure service serves the admin, the `erase_person` command and `POST /api/v1/people/erase`;
it is idempotent (a second request finds the first erasure) and recorded without the data.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from core.data_protection import REDACTED, Declaration, Person, declarations
from core.models import ContactPoint, Customer
from core.personal_data import ERASED_ADDRESS_PREFIX
from privacy import selectors
from privacy.hashing import address_hash
from privacy.models import PrivacyRecord, SuppressedAddress
from privacy.selectors import Lookup

EXPORT_FORMAT = "thuisfront-personal-data/1"


class NobodyFound(Exception):
    """Nothing is held about the person a request names (and no erasure took them)."""


@dataclass
class Erasure:
    record: PrivacyRecord
    already_erased: bool = False
    suppressed: int = 0
    rows: dict[str, int] = field(default_factory=dict)


def _label(model: type[models.Model]) -> str:
    return model._meta.label


def _record(
    *, action: str, via: str, actor: str, lookup: Lookup, customer_id, rows=None, keys=()
) -> PrivacyRecord:
    keys = sorted(set(lookup.keys()) | set(keys))
    return PrivacyRecord.objects.create(
        action=action,
        via=via,
        actor=actor[:150],
        customer_id=customer_id,
        subject_hashes=f" {' '.join(keys)} " if keys else "",
        rows=rows or {},
    )


# --- Erasure ----------------------------------------------------------------------------------


def person_erase(*, lookup: Lookup, actor: str, via: str) -> Erasure:
    """Remove or irreversibly anonymise everything about one person, in every declared table.

    Raises NobodyFound when nothing is held and no earlier erasure took them.
    """
    with transaction.atomic():
        customer = selectors.customer_for(lookup)
        if customer is not None:
            # Serialises with a message from them being routed (which locks their addresses).
            list(ContactPoint.objects.select_for_update().filter(customer=customer))
            customer = Customer.objects.select_for_update().get(pk=customer.pk)
        earlier = selectors.earlier_erasure(lookup) if customer is None else None
        if earlier is not None and not _address_left(lookup):
            return Erasure(record=earlier, already_erased=True)
        person = selectors.person_gather(customer=customer, lookup=lookup)
        if customer is None and not _anything_about(person):
            raise NobodyFound
        # Every way of naming them, so a second request by any of them finds this erasure.
        keys = selectors.lookup_keys_of(person)
        rows, suppressed = person_erase_rows(person=person)
        record = _record(
            action=PrivacyRecord.Action.ERASE,
            via=via,
            actor=actor,
            lookup=lookup,
            customer_id=customer.pk if customer else None,
            rows=rows,
            keys=keys,
        )
    return Erasure(record=record, suppressed=suppressed, rows=rows)


def _address_left(lookup: Lookup) -> bool:
    """Rows naming the address came in after an earlier erasure (a late webhook): erase again."""
    if lookup.address is None:
        return False
    return _anything_about(selectors.person_gather(customer=None, lookup=lookup))


def _anything_about(person: Person) -> bool:
    for d in declarations():
        if d.holds_personal_data and d.export is not None and d.export(person):
            return True
    return False


def person_erase_rows(*, person: Person) -> tuple[dict[str, int], int]:
    """Run every app's eraser, then redact what other people's rows say about the person."""
    related: set[int] = set()
    for d in declarations():
        if d.related is not None:
            related |= d.related(person)
    related -= set(person.customer_ids)
    opted_out = ContactPoint.objects.filter(
        pk__in=person.contact_point_ids, opted_out_at__isnull=False
    ).exists()
    rows: dict[str, int] = {}
    for d in declarations():
        if d.holds_personal_data and d.erase is not None:
            rows[_label(d.model)] = d.erase(person)
    for d in declarations():
        redacted = _redact(d, person, related)
        if redacted:
            rows[_label(d.model)] = rows.get(_label(d.model), 0) + redacted
    suppressed = _suppress(person, opted_out=opted_out)
    return {label: n for label, n in rows.items() if n}, suppressed


def _suppress(person: Person, *, opted_out: bool) -> int:
    reason = (
        SuppressedAddress.Reason.ERASED_OPTED_OUT if opted_out else SuppressedAddress.Reason.ERASED
    )
    now, added = timezone.now(), 0
    for channel, address in person.addresses:
        if address.startswith(ERASED_ADDRESS_PREFIX):
            continue
        SuppressedAddress.objects.update_or_create(
            channel=channel,
            address_hash=address_hash(channel=channel, address=address),
            defaults={"reason": reason, "since": now},
        )
        added += 1
    return added


def _patterns(person: Person, *, scoped: bool) -> list[re.Pattern]:
    """Longest first, so a full name goes before the name inside it."""
    exact = sorted(person.needles, key=len, reverse=True)
    found = [re.compile(re.escape(n), re.IGNORECASE) for n in exact]
    if scoped:
        parts = sorted(person.name_parts, key=len, reverse=True)
        found += [re.compile(rf"\b{re.escape(p)}\b", re.IGNORECASE) for p in parts]
    return found


def _scrub(value, patterns: list[re.Pattern]):
    if isinstance(value, str):
        for pattern in patterns:
            value = pattern.sub(REDACTED, value)
        return value
    if isinstance(value, list):
        return [_scrub(v, patterns) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, patterns) for k, v in value.items()}
    return value


def _redact(d: Declaration, person: Person, related: set[int]) -> int:
    """Where other people's rows name the person: their numbers, ids and full names everywhere;
    in the rows of the people around them (their group), their first and last names too."""
    if not d.mentions:
        return 0
    changed: set = set()
    passes = [(Q(), person.needles, _patterns(person, scoped=False))]
    if d.owner and related:
        scope = d.owner(related) if callable(d.owner) else Q(**{f"{d.owner}__in": related})
        passes.append((scope, person.name_parts, _patterns(person, scoped=True)))
    for scope, words, patterns in passes:
        if not words:
            continue
        for name in d.mentions:
            contains = Q(pk__in=[])
            for word in words:
                contains |= Q(**{f"{name}__icontains": word})
            for row in d.model._base_manager.filter(scope).filter(contains):
                before = getattr(row, name)
                after = _scrub(before, patterns)
                if after != before:
                    d.model._base_manager.filter(pk=row.pk).update(**{name: after})
                    changed.add(row.pk)
    return len(changed)


# --- Export -----------------------------------------------------------------------------------


def person_export(*, lookup: Lookup, actor: str, via: str) -> dict:
    """Everything held about one person as one JSON-ready document, consent history first."""
    customer = selectors.customer_for(lookup)
    person = selectors.person_gather(customer=customer, lookup=lookup)
    if customer is None and not _anything_about(person):
        raise NobodyFound
    data, consent = {}, []
    for d in declarations():
        if d.holds_personal_data and d.export is not None:
            data[_label(d.model)] = d.export(person)
        if d.consent is not None:
            consent += d.consent(person)
    record = _record(
        action=PrivacyRecord.Action.EXPORT,
        via=via,
        actor=actor,
        lookup=lookup,
        customer_id=customer.pk if customer else None,
    )
    return {
        "format": EXPORT_FORMAT,
        "export_id": str(record.id),
        "generated_at": record.at,
        "person": {"id": customer.pk if customer else None},
        "consent_history": sorted(consent, key=lambda r: r["at"]),
        "data": data,
    }


# --- Retention --------------------------------------------------------------------------------


def retention_purge(*, now: datetime | None = None) -> dict[str, int]:
    """Everything kept longer than its kind of data may be (settings.PRIVACY_RETENTION_DAYS).

    Returns rows changed per "kind: table"; a kind set to 0 days is kept for good.
    """
    now = now or timezone.now()
    days = settings.PRIVACY_RETENTION_DAYS
    done: dict[str, int] = {}
    for d in declarations():
        for kind, purge in d.retention.items():
            if days.get(kind):
                changed = purge(now - timedelta(days=days[kind]))
                if changed:
                    done[f"{kind}: {_label(d.model)}"] = changed
    if days.get("inactive_people"):
        cutoff = now - timedelta(days=days["inactive_people"])
        erased = 0
        for customer in selectors.people_inactive(cutoff=cutoff):
            person_erase(lookup=Lookup(customer_id=customer.pk), actor="retention", via="retention")
            erased += 1
        if erased:
            done["inactive_people: core.Customer"] = erased
    return done
