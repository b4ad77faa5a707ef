"""The filter of a set report: project, funding partner, period, kind and region."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from members.models import Organisation, Region
from workshops.models import Project, Workshop, WorkshopKind


class ReportFilterForm(forms.Form):
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=Project.objects.none(),
        required=False,
        empty_label="—",
        error_messages={"invalid_choice": _("“%(value)s” is not a project you can report on.")},
    )
    partner = forms.ModelChoiceField(
        label=_("Funding partner"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="—",
        error_messages={
            "invalid_choice": _("“%(value)s” is not a funding partner you can report on.")
        },
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", "—"), *WorkshopKind.choices],
        required=False,
        error_messages={"invalid_choice": _("“%(value)s” is not a known kind of workshop.")},
    )
    region = forms.ChoiceField(
        label=_("Region"),
        choices=[("", "—"), *Region.choices],
        required=False,
        error_messages={"invalid_choice": _("“%(value)s” is not a known region.")},
    )

    def __init__(self, *args, workshops, **kwargs) -> None:
        """``workshops`` is the user's scope: only its projects and partners are offered."""
        super().__init__(*args, **kwargs)
        in_scope = workshops.values("pk")
        self.fields["project"].queryset = Project.objects.filter(workshops__in=in_scope).distinct()
        # Two IN lists rather than DISTINCT over both joins: measured several times faster.
        direct = Workshop.funders.through.objects.filter(workshop__in=in_scope)
        through_project = Project.funders.through.objects.filter(project__workshops__in=in_scope)
        self.fields["partner"].queryset = Organisation.objects.filter(
            Q(pk__in=direct.values("organisation"))
            | Q(pk__in=through_project.values("organisation"))
        )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end of the period comes before its start."))
        return data

    def apply(self, workshops):
        """The workshops of the scope that match the filter (none while it is invalid)."""
        if not self.is_bound:
            return workshops
        if not self.is_valid():
            return workshops.none()
        data = self.cleaned_data
        if data["project"]:
            workshops = workshops.filter(project=data["project"])
        if data["partner"]:
            workshops = workshops.funded_by(data["partner"])
        if data["start"]:
            workshops = workshops.filter(start_date__gte=data["start"])
        if data["end"]:
            workshops = workshops.filter(start_date__lte=data["end"])
        if data["kind"]:
            workshops = workshops.filter(kind=data["kind"])
        if data["region"]:
            workshops = workshops.filter(region=data["region"])
        return workshops

    @property
    def selected_project(self) -> Project | None:
        return self.cleaned_data.get("project") if self.is_bound and self.is_valid() else None

    def description(self) -> dict[str, str]:
        """The filter as an audit entry records it."""
        if not (self.is_bound and self.is_valid()):
            return {}
        return {name: str(value) for name, value in self.cleaned_data.items() if value}

    def slug(self) -> str:
        """The filter in a file name: "all" or its values, short."""
        parts = []
        for name, value in self.description().items():
            if name in ("project", "partner"):
                obj = self.cleaned_data[name]
                value = getattr(obj, "acronym", "") or obj.name
            parts.append(slugify(value)[:30])
        return "-".join(parts) or "all"
