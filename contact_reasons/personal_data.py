"""What contact reasons hold about people (core/data_protection.py is the seam).

A label and a prediction say what someone's conversation was about: they go with the person's
conversations (erased, exported, and kept no longer than the inbox keeps message text). The
trained versions hold n-grams that occurred in at least two conversations and weights: no row
about anyone.
"""

from datetime import datetime

from contact_reasons.models import ReasonLabel, ReasonModel, ReasonPrediction, ReasonRoute
from core.data_protection import Person, holds, holds_none


def _labels(person: Person):
    return ReasonLabel.objects.filter(conversation__customer_id__in=person.customer_ids)


def _predictions(person: Person):
    return ReasonPrediction.objects.filter(conversation__customer_id__in=person.customer_ids)


def _erase_labels(person: Person) -> int:
    return _labels(person).delete()[0]


def _erase_predictions(person: Person) -> int:
    return _predictions(person).delete()[0]


def _export_labels(person: Person) -> list[dict]:
    return list(_labels(person).values("conversation_id", "reason", "labelled_at"))


def _export_predictions(person: Person) -> list[dict]:
    return list(
        _predictions(person).values(
            "conversation_id", "reason", "confidence", "model__version", "predicted_at"
        )
    )


def _purge_predictions(cutoff: datetime) -> int:
    return ReasonPrediction.objects.filter(predicted_at__lt=cutoff).delete()[0]


holds(
    ReasonLabel,
    erase=_erase_labels,
    export=_export_labels,
    owner="conversation__customer",
)
holds(
    ReasonPrediction,
    erase=_erase_predictions,
    export=_export_predictions,
    owner="conversation__customer",
    retention={"message_text": _purge_predictions},
)
holds_none(ReasonModel, why="n-grams seen in two or more conversations, and weights; no rows")
holds_none(ReasonRoute, why="which team a reason goes to; settings")
