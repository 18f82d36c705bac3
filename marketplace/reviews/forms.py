from django import forms

from marketplace.reviews.models import MAX_REVIEW_LENGTH
from marketplace.reviews.services import MAX_ANSWER_LENGTH

STARS = [(n, f"{n} star{'s' if n > 1 else ''}") for n in range(5, 0, -1)]


class ReviewForm(forms.Form):
    stars = forms.TypedChoiceField(choices=STARS, coerce=int, widget=forms.RadioSelect, label="Your rating")
    text = forms.CharField(label="Your review", max_length=MAX_REVIEW_LENGTH, widget=forms.Textarea(attrs={"rows": 6}))


class AnswerForm(forms.Form):
    text = forms.CharField(
        label="Your public answer", max_length=MAX_ANSWER_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )


class DisputeForm(forms.Form):
    reasoning = forms.CharField(
        label="Why this review should not count",
        max_length=MAX_ANSWER_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Red Rook staff read your reasoning and accept or reject the dispute.",
    )


class FlagForm(forms.Form):
    reason = forms.CharField(
        label="What is abusive about this review?",
        max_length=MAX_ANSWER_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
