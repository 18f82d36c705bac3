from django import forms

from marketplace.subscriptions.models import CancellationReason


class ConfirmSubscriptionForm(forms.Form):
    """What the customer saw on the confirmation page: the price it agrees to and the version."""

    price_up_front = forms.DecimalField(max_digits=10, decimal_places=2, min_value=0, widget=forms.HiddenInput)
    price_per_month = forms.DecimalField(max_digits=10, decimal_places=2, min_value=0, widget=forms.HiddenInput)


class CancelSubscriptionForm(forms.Form):
    reason = forms.ChoiceField(
        choices=CancellationReason.choices, widget=forms.RadioSelect, label="Why are you cancelling?"
    )
    text = forms.CharField(
        label="Anything you would like the integrator to know (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
