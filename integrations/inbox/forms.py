"""The inbox page's one form with input: rotating names the secret the person saw."""

from django import forms

OUT_OF_DATE = "This page is out of date. Reload it, then rotate the secret again."


class RotateSecretForm(forms.Form):
    """``rotated_at`` is when the shown secret was made (the page's hidden field), so a second
    click on the same page cannot rotate twice (integrations.inbox.services.rotate_inbox_secret)."""

    rotated_at = forms.DateTimeField(widget=forms.HiddenInput, error_messages={"required": OUT_OF_DATE})
