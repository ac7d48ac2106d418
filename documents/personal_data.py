"""What documents hold about people (core/data_protection.py is the seam).

A boarding pass or ticket names its passenger in the barcode and on the PDF: erasing the person
deletes their documents outright (a document is worth nothing without its traveller); the
deliveries that carried them stay, anonymous, with the engine's own rows.
"""

from core.data_protection import Person, holds
from documents.models import Document


def _documents(person: Person):
    return Document.objects.filter(passenger__customer_id__in=person.customer_ids)


def _erase(person: Person) -> int:
    return _documents(person).delete()[0]


def _export(person: Person) -> list[dict]:
    return list(
        _documents(person).values(
            "id",
            "kind",
            "booking__reference",
            "trip__service",
            "trip__local_date",
            "seat",
            "coach",
            "gate",
            "boarding_time",
            "barcode",
            "created_at",
            "superseded_at",
            "first_fetched_at",
            "fetches",
        )
    )


holds(
    Document,
    erase=_erase,
    export=_export,
    owner="passenger__customer",
    order=20,  # before the passengers they belong to
)
