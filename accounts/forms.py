from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role


class RolesForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the account"),
        help_text=_("The person must have created an account with this address."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    partner_organisation = forms.ModelChoiceField(
        label=_("Funding organisation (for a partner)"),
        queryset=None,
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The organisation model is reached through the user's link, not imported.
        organisations = User._meta.get_field("partner_organisation").related_model.objects
        self.fields["partner_organisation"].queryset = organisations.partners()

    def clean_email(self) -> User:
        user = User.objects.filter(email__iexact=self.cleaned_data["email"]).first()
        if user is None:
            raise forms.ValidationError(_("No account has this address."))
        return user
