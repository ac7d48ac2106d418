"""Contact reasons: the agents' labels, the models learned from them, and what each model said."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from contact_reasons.reasons import CHOICES
from webcare_inbox.models import Conversation, Team


class ReasonModel(models.Model):
    """One trained version; the newest is the one that predicts. The blob is joblib's dump of the
    scikit-learn pipeline (learning.py): character and word n-grams seen in at least two labelled
    conversations, and the regression's weights."""

    version = models.PositiveIntegerField(unique=True)
    trained_at = models.DateTimeField(default=timezone.now)
    examples = models.PositiveIntegerField()
    # reason → number of labelled conversations it was trained on
    counts = models.JSONField(default=dict)
    # 5-fold cross-validated on the training examples themselves, when every reason has five
    cv_accuracy = models.FloatField(null=True, blank=True)
    cv_macro_f1 = models.FloatField(null=True, blank=True)
    seconds = models.FloatField()
    blob = models.BinaryField()

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version} ({self.examples} labels)"


class ReasonLabel(models.Model):
    """What an agent said a conversation is about: the training example."""

    class Source(models.TextChoices):
        ACCEPTED = "accepted"  # the suggestion, confirmed
        CORRECTED = "corrected"  # another reason than suggested
        CHOSEN = "chosen"  # no suggestion (not enough labels yet) or a label typed in the inbox

    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, related_name="reason_label"
    )
    reason = models.CharField(max_length=30, choices=CHOICES)
    source = models.CharField(max_length=10, choices=Source.choices)
    prediction = models.ForeignKey(
        "ReasonPrediction", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    labelled_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"#{self.conversation_id}: {self.reason} ({self.source})"


class ReasonPrediction(models.Model):
    """What a model version said about a conversation, and whether it was used to route it."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="reason_predictions"
    )
    model = models.ForeignKey(ReasonModel, on_delete=models.PROTECT, related_name="predictions")
    reason = models.CharField(max_length=30, choices=CHOICES)
    confidence = models.FloatField()
    predicted_at = models.DateTimeField(default=timezone.now)
    routed_to = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-predicted_at", "-id"]
        indexes = [models.Index(fields=["conversation", "-predicted_at"])]

    def __str__(self) -> str:
        return f"#{self.conversation_id}: {self.reason} {self.confidence:.0%} (v{self.model_id})"


class ReasonRoute(models.Model):
    """A reason that sends a new, unrouted conversation to a team, when the model is sure enough."""

    reason = models.CharField(max_length=30, choices=CHOICES, unique=True)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    min_confidence = models.FloatField(
        default=0.8, help_text="Predictions below this never route (0.5–1)."
    )

    class Meta:
        ordering = ["reason"]

    def __str__(self) -> str:
        return f"{self.reason} → {self.team}"
