from django import forms

from certification.requests.services import MAX_COMMENT


class RequestCertificationForm(forms.Form):
    message = forms.CharField(
        label="Message to the reviewers",
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What Red Rook staff should know: what changed, how to try it, anything unusual.",
    )


class CommentForm(forms.Form):
    comment = forms.CharField(label="Comment", max_length=MAX_COMMENT, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, required: bool = True, label: str = "Comment", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = required
        self.fields["comment"].label = label
