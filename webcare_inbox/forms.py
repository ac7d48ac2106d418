from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from webcare_inbox.models import AgentProfile

MAX_TEXT = 4096
SNOOZE_PRESETS = {"1h": timedelta(hours=1), "4h": timedelta(hours=4)}


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Reply"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write a reply first.")},
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Private note"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write the note first.")},
    )


class SnoozeForm(forms.Form):
    """Snooze for an hour, four hours, until tomorrow 09:00, or until a chosen moment."""

    preset = forms.ChoiceField(
        choices=[
            ("1h", _("1 hour")),
            ("4h", _("4 hours")),
            ("tomorrow", _("tomorrow 09:00")),
            ("custom", _("until…")),
        ],
        initial="1h",
    )
    until = forms.DateTimeField(
        required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def clean(self):
        data = super().clean()
        if data.get("preset") == "custom" and not data.get("until"):
            self.add_error("until", _("Say until when."))
        return data

    def moment(self, now: datetime | None = None) -> datetime:
        now = now or timezone.now()
        preset = self.cleaned_data["preset"]
        if preset in SNOOZE_PRESETS:
            return now + SNOOZE_PRESETS[preset]
        if preset == "tomorrow":
            local = timezone.localtime(now).date() + timedelta(days=1)
            return timezone.make_aware(datetime.combine(local, time(9, 0)))
        return self.cleaned_data["until"]


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = AgentProfile
        fields = ["language", "available"]
        labels = {"language": _("Language"), "available": _("Available for new conversations")}
