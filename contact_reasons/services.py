"""Learning contact reasons from the agents: label, train, predict, route."""

import logging
import time
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from sklearn.model_selection import cross_validate

from contact_reasons import learning, selectors
from contact_reasons.models import ReasonLabel, ReasonModel, ReasonPrediction, ReasonRoute
from contact_reasons.reasons import REASONS, reason_for_label_name, reason_label_name
from webcare_inbox.assignment import conversation_team_set
from webcare_inbox.models import Conversation, Label
from webcare_inbox.workflow import conversation_label_add, conversation_label_remove

log = logging.getLogger(__name__)


class NotEnoughLabels(Exception):
    """Too few labelled conversations to learn from; the text says how many there are."""


def readiness(counts: Counter) -> str | None:
    """None when these labels are enough to train on, else why not (for agents and operators)."""
    total, needed = sum(counts.values()), settings.CONTACT_REASONS_MIN_LABELS
    per_reason = settings.CONTACT_REASONS_MIN_PER_REASON
    if total < needed:
        return f"{total} of the {needed} labelled conversations needed"
    if sum(1 for n in counts.values() if n >= per_reason) < 2:
        return f"fewer than two reasons have {per_reason} labelled conversations each"
    return None


def model_train(*, extra: list[tuple[str, str]] = ()) -> ReasonModel:
    """A new version from every labelled conversation (plus `extra` (text, reason) pairs: the
    shipped examples, when an operator starts from them). Seconds, in the worker."""
    texts, reasons = selectors.training_examples()
    texts, reasons = texts + [t for t, _ in extra], reasons + [r for _, r in extra]
    counts = Counter(reasons)
    why_not = readiness(counts)
    if why_not:
        raise NotEnoughLabels(why_not)
    started = time.perf_counter()
    pipeline = learning.fit(texts, reasons)
    seconds = time.perf_counter() - started
    cv_accuracy, cv_f1 = _cross_validated(texts, reasons, counts)
    with transaction.atomic():
        latest = ReasonModel.objects.select_for_update().aggregate(v=Max("version"))["v"] or 0
        model = ReasonModel.objects.create(
            version=latest + 1,
            examples=len(texts),
            counts=dict(sorted(counts.items())),
            cv_accuracy=cv_accuracy,
            cv_macro_f1=cv_f1,
            seconds=round(seconds, 3),
            blob=learning.dumps(pipeline),
        )
    log.info(
        "contact reasons: trained v%s on %s labels in %.2fs", model.version, len(texts), seconds
    )
    return model


def _cross_validated(texts, reasons, counts) -> tuple[float | None, float | None]:
    """5-fold on the training labels (an estimate, shown in the admin); None when too few."""
    if min(counts.values()) < 5:
        return None, None
    found = cross_validate(
        learning.pipeline_build(), texts, reasons, cv=5, scoring=("accuracy", "f1_macro")
    )
    return float(found["test_accuracy"].mean()), float(found["test_f1_macro"].mean())


def model_retrain_if_labels_changed() -> ReasonModel | None:
    """Beat: a new version when labels were added or changed since the newest one."""
    current = ReasonModel.objects.order_by("-version").first()
    newest_label = ReasonLabel.objects.aggregate(at=Max("labelled_at"))["at"]
    if newest_label is None or (current and newest_label <= current.trained_at):
        return None
    try:
        return model_train()
    except NotEnoughLabels as why:
        log.info("contact reasons: not training yet: %s", why)
        return None


def conversation_predict(*, conversation_id: int) -> ReasonPrediction | None:
    """The newest model's reason for the conversation, stored with the version that said it; a
    confident one routes an unrouted conversation. None without a model, text or open thread."""
    found = selectors.model_current()
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if found is None or conversation is None or _labelled(conversation):
        return None
    text = selectors.conversation_text(conversation_id=conversation_id)
    if not text:
        return None
    model, pipeline = found
    latest = selectors.prediction_latest(conversation_id=conversation_id)
    if latest and latest.model_id == model.pk and selectors.text_settled(conversation_id):
        return latest  # the same words, the same version: the same answer
    guess = learning.predict(pipeline, text)
    prediction = ReasonPrediction.objects.create(
        conversation=conversation, model=model, reason=guess.reason, confidence=guess.confidence
    )
    _route(conversation, prediction)
    return prediction


def _labelled(conversation: Conversation) -> bool:
    """An agent already said what it is about: nothing left to predict."""
    return ReasonLabel.objects.filter(conversation=conversation).exists()


def _route(conversation: Conversation, prediction: ReasonPrediction) -> None:
    """Only a conversation no one routed or took, only above the route's confidence."""
    route = ReasonRoute.objects.filter(reason=prediction.reason).select_related("team").first()
    if route is None or conversation.team_id or conversation.assignee_id:
        return
    if prediction.confidence < max(route.min_confidence, settings.CONTACT_REASONS_ROUTE_FLOOR):
        return
    conversation_team_set(conversation=conversation, team=route.team, actor=None)
    ReasonPrediction.objects.filter(pk=prediction.pk).update(routed_to=route.team)


@transaction.atomic
def conversation_reason_set(*, conversation: Conversation, reason: str, agent) -> ReasonLabel:
    """The agent's one click: accept the suggestion or pick another reason. The inbox label of
    the reason goes on the conversation (and a previous reason's comes off)."""
    if reason not in REASONS:
        raise ValueError(f"reason: unknown contact reason {reason!r}")
    previous = ReasonLabel.objects.filter(conversation=conversation).first()
    label = _label_record(conversation, reason, agent)
    if previous and previous.reason != reason:
        old = Label.objects.filter(name=reason_label_name(previous.reason)).first()
        if old:
            conversation_label_remove(conversation=conversation, label=old, actor=agent)
    conversation_label_add(conversation=conversation, name=reason_label_name(reason), actor=agent)
    return label


def _label_record(conversation: Conversation, reason: str, agent) -> ReasonLabel:
    prediction = selectors.prediction_latest(conversation_id=conversation.pk)
    if prediction is None:
        source = ReasonLabel.Source.CHOSEN
    elif prediction.reason == reason:
        source = ReasonLabel.Source.ACCEPTED
    else:
        source = ReasonLabel.Source.CORRECTED
    label, _ = ReasonLabel.objects.update_or_create(
        conversation=conversation,
        defaults={
            "reason": reason,
            "source": source,
            "prediction": prediction,
            "agent": agent if agent and agent.is_authenticated else None,
        },
    )
    return label


def inbox_label_added(*, conversation: Conversation, label: Label, actor) -> None:
    """A label typed in the inbox that names a reason counts as the agent's label too."""
    reason = reason_for_label_name(label.name)
    if reason is None:
        return
    current = ReasonLabel.objects.filter(conversation=conversation).first()
    if current is None or current.reason != reason:
        _label_record(conversation, reason, actor)
