"""Reads about contact reasons, for the inbox and for anyone counting them (e.g. the insights)."""

from collections import Counter
from datetime import datetime

from django.conf import settings
from django.db.models import Count

from contact_reasons import learning
from contact_reasons.models import ReasonLabel, ReasonModel, ReasonPrediction
from webcare_inbox.models import Message

# The loaded pipeline of each version, per process: versions never change once stored.
_LOADED: dict[int, object] = {}
# The text a conversation is judged by: its first messages from the person.
FIRST_MESSAGES = 3
TEXT_MAX = 2000


def conversation_text(*, conversation_id: int) -> str:
    texts = (
        Message.objects.filter(conversation_id=conversation_id, direction=Message.Direction.INBOUND)
        .exclude(text="")
        .order_by("created_at", "id")
        .values_list("text", flat=True)[:FIRST_MESSAGES]
    )
    return "\n".join(texts)[:TEXT_MAX]


def text_settled(conversation_id: int) -> bool:
    """More messages than the ones a conversation is judged by: later ones change nothing."""
    inbound = Message.objects.filter(
        conversation_id=conversation_id, direction=Message.Direction.INBOUND
    ).exclude(text="")
    return inbound.count() > FIRST_MESSAGES


def training_examples() -> tuple[list[str], list[str]]:
    """(texts, reasons) of every labelled conversation that still has words to learn from."""
    texts, reasons = [], []
    for label in ReasonLabel.objects.order_by("id").only("conversation_id", "reason"):
        text = conversation_text(conversation_id=label.conversation_id)
        if text:
            texts.append(text)
            reasons.append(label.reason)
    return texts, reasons


def label_counts() -> Counter:
    rows = ReasonLabel.objects.values("reason").annotate(n=Count("id"))
    return Counter({r["reason"]: r["n"] for r in rows})


def model_current() -> tuple[ReasonModel, object] | None:
    """The newest version and its loaded pipeline, or None before the first training."""
    model = ReasonModel.objects.defer("blob").order_by("-version").first()
    if model is None:
        return None
    if model.pk not in _LOADED:
        blob = ReasonModel.objects.values_list("blob", flat=True).get(pk=model.pk)
        _LOADED.clear()
        _LOADED[model.pk] = learning.loads(blob)
    return model, _LOADED[model.pk]


def prediction_latest(*, conversation_id: int) -> ReasonPrediction | None:
    return (
        ReasonPrediction.objects.filter(conversation_id=conversation_id)
        .select_related("model")
        .first()
    )


def conversation_reason(*, conversation_id: int) -> str | None:
    """The agent's reason, else a sure prediction's, else None: what to count a conversation as."""
    label = ReasonLabel.objects.filter(conversation_id=conversation_id).first()
    if label:
        return label.reason
    prediction = prediction_latest(conversation_id=conversation_id)
    sure = prediction and prediction.confidence >= settings.CONTACT_REASONS_SURE
    return prediction.reason if sure else None


def reason_counts(*, since: datetime, until: datetime) -> Counter:
    """Conversations started in [since, until) per agent-given reason (labels, not guesses)."""
    rows = (
        ReasonLabel.objects.filter(
            conversation__created_at__gte=since, conversation__created_at__lt=until
        )
        .values("reason")
        .annotate(n=Count("id"))
    )
    return Counter({r["reason"]: r["n"] for r in rows})


def suggestion_acceptance(*, since: datetime) -> dict[str, int]:
    """How agents answered the suggestions: accepted, corrected, chosen without one."""
    rows = (
        ReasonLabel.objects.filter(labelled_at__gte=since).values("source").annotate(n=Count("id"))
    )
    return {r["source"]: r["n"] for r in rows}
