"""Forms of the check-in and certificate pages: they validate and normalise only."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from checkin.models import CertificateSettings
from workshops import normalise
from workshops.forms import PersonDetailsMixin, PersonForm
from workshops.models import Sex


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name or phone"), required=False, max_length=100)


class TickForm(forms.Form):
    """One tap at the door: an attendance (or a known person) and the day."""

    attendance = forms.IntegerField(required=False)
    person = forms.IntegerField(required=False)
    day = forms.DateField()
    q = forms.CharField(required=False, max_length=100)


class WalkInForm(PersonForm):
    """Someone not registered, in the few fields there is time for at the door."""

    confirmed_new = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("age", "email", "region", "consent_recorded", "role"):
            del self.fields[name]
        self.fields["birth_year"].label = _("Year of birth")
        fields = ["full_name", "sex", "birth_year", "organisation", "new_organisation"]
        self.order_fields([*fields, "position", "phone"])


def _sex_choices():
    return [(Sex.FEMALE, _("Woman")), (Sex.MALE, _("Man")), (Sex.UNKNOWN, _("I prefer not to say"))]


class SelfCheckInForm(PersonDetailsMixin, forms.Form):
    """What a participant types on their own phone; nothing here is trusted until confirmed."""

    required_css_class = "required"
    empty_name_message = _("Type your name.")

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    sex = forms.ChoiceField(label=_("Sex"), choices=_sex_choices, widget=forms.RadioSelect)
    birth_year = forms.IntegerField(
        label=_("Year of birth"), required=False, min_value=1900, max_value=2100
    )
    organisation_name = forms.CharField(
        label=pgettext_lazy("sign-in sheet", "Organisation"), required=False, max_length=200
    )
    position = forms.CharField(label=_("Position"), required=False, max_length=120)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    consent = forms.BooleanField(
        label=_(
            "I agree that the alliance keeps these details to record my attendance "
            "and report it to the workshop's funders (without my phone or e-mail)."
        )
    )

    def clean_organisation_name(self) -> str:
        return normalise.clean_name(self.cleaned_data["organisation_name"])

    def clean_position(self) -> str:
        return normalise.clean_name(self.cleaned_data["position"])


class CertificateOptionsForm(forms.Form):
    min_days = forms.IntegerField(label=_("Present at least (days)"), min_value=1, initial=1)
    language = forms.ChoiceField(
        label=_("Language of the certificates"), choices=settings.LANGUAGES, initial="fr"
    )

    def __init__(self, *args, days: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["min_days"].widget.attrs["max"] = days
        self.fields["min_days"].validators.append(MaxValueValidator(days))


class CertificateSettingsForm(forms.ModelForm):
    class Meta:
        model = CertificateSettings
        fields = ["signatory_name", "signatory_function"]
