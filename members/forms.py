from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.phones import normalise_phone
from common.uploads import check_upload
from members.models import (
    Document,
    Organisation,
    OrganisationKind,
    Region,
    Theme,
    ThemeCode,
    VoteChoice,
)
from members.services import find_duplicate


class OrganisationForm(forms.ModelForm):
    required_css_class = "required"
    # The registered organisation this one turned out to be, if any.
    duplicate: Organisation | None = None
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "acronym",
            "kind",
            "region",
            "locality",
            "address",
            "phone",
            "email",
            "website",
            "registration_number",
            "registration_date",
            "founding_year",
            "themes",
            "ccsc_purn_member",
            "description",
            "listed_in_directory",
        ]
        widgets = {
            # An HTML date input reads only ISO dates, whatever the language.
            "registration_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "registration_number": _("As written on the receipt (récépissé) of the declaration."),
            "listed_in_directory": _(
                "Once a member, show the organisation's name, region, themes, description and "
                "website in the public directory. No person is ever listed."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].required = True
        self.fields["region"].choices = [("", "—"), *Region.choices]
        # "Unknown" is for organisations met only on a sign-in sheet; an applicant knows.
        self.fields["kind"].choices = [
            choice
            for choice in self.fields["kind"].choices
            if choice[0] != OrganisationKind.UNKNOWN
        ]
        self.fields["themes"].label_from_instance = lambda theme: ThemeCode(theme.code).label

    def clean_phone(self) -> str:
        try:
            return normalise_phone(self.cleaned_data["phone"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_registration_date(self):
        date = self.cleaned_data["registration_date"]
        if date and date > timezone.localdate():
            raise forms.ValidationError(_("The registration date cannot be in the future."))
        return date

    def clean_founding_year(self):
        year = self.cleaned_data["founding_year"]
        if year and not 1900 <= year <= timezone.localdate().year:
            raise forms.ValidationError(
                _("Enter a year between 1900 and %(year)s.") % {"year": timezone.localdate().year}
            )
        return year

    def clean(self):
        cleaned = super().clean()
        name, acronym = cleaned.get("name", ""), cleaned.get("acronym", "")
        exclude = self.instance if self.instance.pk else None
        if name and (existing := find_duplicate(name, acronym, exclude=exclude)):
            self.duplicate = existing
            raise forms.ValidationError(
                _("This organisation is already registered as “%(existing)s”.")
                % {"existing": existing}
            )
        return cleaned

    def service_fields(self) -> dict:
        """The cleaned values, as the services take them."""
        return {name: value for name, value in self.cleaned_data.items() if name != "themes"}


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of document"), choices=Document._meta.get_field("kind").choices
    )
    file = forms.FileField(label=_("File"), help_text=_("PDF, JPEG or PNG, 5 MB at most."))

    def clean_file(self):
        checked = check_upload(self.cleaned_data["file"])
        self.content_type = checked.content_type
        return checked.as_file()


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your vote"), choices=VoteChoice.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a rejection: the applicant will read it as the reason."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("choice") == VoteChoice.REJECT and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("A rejection needs a reason: the applicant will read it."))
        return cleaned


class InformationRequestForm(forms.Form):
    message = forms.CharField(
        label=_("What is missing?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The applicant receives this message and can complete the application."),
    )


class MembershipDecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the decision"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Your colleague's e-mail address"))


class InvitationRequestForm(forms.Form):
    """The name and acronym typed in the profile form: they name the registered
    organisation again, so that a request never reveals one by its number."""

    name = forms.CharField(max_length=200)
    acronym = forms.CharField(max_length=30, required=False)


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or acronym"), required=False, max_length=100)
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        choices=[("", _("All regions")), *Region.choices],
        error_messages={"invalid_choice": _("“%(value)s” is not a known region.")},
    )
    theme = forms.ChoiceField(
        label=_("Theme"),
        required=False,
        choices=[("", _("All themes")), *ThemeCode.choices],
        error_messages={"invalid_choice": _("“%(value)s” is not a known theme.")},
    )
