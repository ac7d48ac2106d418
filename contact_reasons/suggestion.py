"""The strip under the thread's head: the suggested reason, and every reason as one click."""

from django.conf import settings
from django.utils.translation import gettext as _

from contact_reasons import selectors, services
from contact_reasons.models import ReasonLabel
from contact_reasons.reasons import REASONS
from webcare_inbox.models import Conversation


def suggestion_context(conversation: Conversation, user) -> dict:
    label = ReasonLabel.objects.filter(conversation=conversation).first()
    prediction = selectors.prediction_latest(conversation_id=conversation.pk)
    context = {
        "reasons": [(code, str(name)) for code, name in REASONS.items()],
        "label": label and {"reason": label.reason, "name": str(REASONS[label.reason])},
        "prediction": None,
        "waiting": None,
    }
    if prediction is not None:
        context["prediction"] = {
            "reason": prediction.reason,
            "name": str(REASONS.get(prediction.reason, prediction.reason)),
            "percent": round(prediction.confidence * 100),
            "sure": prediction.confidence >= settings.CONTACT_REASONS_SURE,
            "version": prediction.model.version,
            "routed_to": prediction.routed_to_id and str(prediction.routed_to),
        }
    elif label is None and selectors.model_current() is None:
        counts = selectors.label_counts()
        context["waiting"] = _(
            "Not enough labels yet to suggest a reason (%(count)s of %(needed)s). "
            "Your choice teaches it."
        ) % {"count": sum(counts.values()), "needed": settings.CONTACT_REASONS_MIN_LABELS}
        context["not_ready"] = services.readiness(counts)
    return context
