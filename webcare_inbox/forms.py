from django import forms

MAX_TEXT = 4096


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="Reply",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Write a reply… (Ctrl+Enter sends)"}),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Private note",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "A note for colleagues (never sent)"}),
    )
