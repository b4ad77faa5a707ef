"""Forms of the workshop pages: they validate and normalise, nothing more."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.phones import normalise_phone
from common.text import person_name_key
from common.uploads import MAX_UPLOAD_BYTES, check_upload
from common.words import file_size
from members.models import Organisation, OrganisationKind, Region
from workshops import importing, normalise
from workshops.models import (
    AttendanceRole,
    Outcome,
    OutcomeKind,
    Person,
    Sex,
    Workshop,
    WorkshopDocument,
    WorkshopPhoto,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WorkshopForm(forms.ModelForm):
    class Meta:
        model = Workshop
        fields = [
            "title",
            "kind",
            "status",
            "start_date",
            "end_date",
            "venue",
            "city",
            "region",
            "project",
            "funders",
            "objectives",
            "summary",
            "is_public",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "funders": forms.CheckboxSelectMultiple,
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Funders are partners of the register (a short list), plus any already chosen.
        chosen = self.instance.funders.all() if self.instance.pk else Organisation.objects.none()
        self.fields["funders"].queryset = Organisation.objects.filter(
            pk__in=Organisation.objects.filter(kind=OrganisationKind.PARTNER).values("pk")
        ) | Organisation.objects.filter(pk__in=chosen.values("pk"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day cannot be before the first day."))
        if start and end and (end - start).days > 31:
            self.add_error("end_date", _("An event lasts at most 31 days."))
        return cleaned


class PersonDetailsMixin:
    """How a person's name, phone and e-mail are read, wherever a form takes them."""

    empty_name_message = _("Type the person's name.")

    def clean_full_name(self) -> str:
        name = normalise.clean_name(self.cleaned_data["full_name"])
        if not person_name_key(name):
            raise ValidationError(self.empty_name_message)
        return name

    def clean_phone(self) -> str:
        try:
            return normalise_phone(self.cleaned_data["phone"])
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def clean_email(self) -> str:
        return self.cleaned_data["email"].lower()


class PersonForm(PersonDetailsMixin, forms.Form):
    """A new person, with the organisation typed as its name or acronym."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    age = forms.IntegerField(
        label=_("Age at this event"), required=False, min_value=5, max_value=110
    )
    birth_year = forms.IntegerField(
        label=_("or year of birth"), required=False, min_value=1900, max_value=2100
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    email = forms.EmailField(label=_("E-mail"), required=False)
    organisation = forms.CharField(
        label=pgettext_lazy("sign-in sheet", "Organisation"),
        required=False,
        max_length=200,
        help_text=_("Name or acronym as in the register."),
    )
    new_organisation = forms.BooleanField(
        label=_("Not in the register: add it as a non-member organisation"), required=False
    )
    position = forms.CharField(label=_("Position"), required=False, max_length=120)
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", "—"), *Region.choices]
    )
    consent_recorded = forms.BooleanField(
        label=_("Consent to keep these details recorded"), required=False
    )
    role = forms.ChoiceField(label=_("Role"), choices=AttendanceRole.choices)

    def __init__(self, *args, event_day: datetime.date, **kwargs):
        self.event_day = event_day
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        name = normalise.clean_name(cleaned.get("organisation"))
        cleaned["organisation_match"] = None
        if name:
            found = Organisation.objects.matching(name).first()
            if found is None and not cleaned.get("new_organisation"):
                self.add_error(
                    "organisation",
                    _(
                        "No organisation “%(name)s” in the register: check the spelling, "
                        "or tick the box below to add it."
                    )
                    % {"name": name},
                )
            cleaned["organisation_match"] = found
        cleaned["organisation"] = name
        try:
            cleaned["birth_year"] = normalise.birth_year_from(
                age=cleaned.get("age"), birth=cleaned.get("birth_year"), on=self.event_day
            )
        except ValueError as error:
            self.add_error("age", str(error))
        return cleaned


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a person by name, phone or e-mail"), required=False, max_length=100
    )


class RegisterExistingForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.all(), widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Role"), choices=AttendanceRole.choices)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=AttendanceRole.choices)


class PresenceForm(forms.Form):
    """The ticked boxes of the presence grid: one checkbox p-<attendance>-<day> each."""

    def __init__(self, *args, attendance_ids: set[int], days: list[datetime.date], **kwargs):
        self.attendance_ids, self.days = attendance_ids, days
        super().__init__(*args, **kwargs)

    def clean(self):
        present = set()
        by_iso = {day.isoformat(): day for day in self.days}
        for key in self.data:
            parts = key.split("-", 2)
            if len(parts) == 3 and parts[0] == "p" and parts[1].isdigit():
                attendance_id, day = int(parts[1]), by_iso.get(parts[2])
                if attendance_id in self.attendance_ids and day is not None:
                    present.add((attendance_id, day))
        self.cleaned_data["present"] = present
        return self.cleaned_data


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["kind", "text", "horizon", "responsible", "due_date", "status", "order"]
        widgets = {"due_date": DATE, "text": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "horizon": _("Action lines only."),
            "responsible": _("The person or body responsible (action lines)."),
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == OutcomeKind.ACTION_LINE:
            if not cleaned.get("horizon"):
                self.add_error("horizon", _("An action line needs its horizon."))
        else:
            for name in ("horizon", "responsible", "status"):
                cleaned[name] = ""
            cleaned["due_date"] = None
        return cleaned


class UploadForm(forms.ModelForm):
    """A file checked by its content; the kind of file says whether only images go."""

    def __init__(self, *args, images_only: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.images_only = images_only

    def clean_file(self):
        checked = check_upload(self.cleaned_data["file"], images_only=self.images_only)
        self.cleaned_data["content_type"] = checked.content_type
        return checked.as_file()


class DocumentForm(UploadForm):
    class Meta:
        model = WorkshopDocument
        fields = ["title", "file", "credit", "is_public"]


class PhotoForm(UploadForm):
    class Meta:
        model = WorkshopPhoto
        fields = ["caption", "file", "credit", "is_public"]
        help_texts = {"credit": _("For example “FES ©”.")}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Typed sign-in sheet"),
        help_text=_("XLSX, XLS, ODS, or CSV with ; or , (5 MB at most)."),
    )
    day = forms.TypedChoiceField(
        label=_("Day this sheet records"),
        required=False,
        coerce=datetime.date.fromisoformat,
        empty_value=None,
        help_text=_("Only for a sheet without a presence column per day."),
    )

    def __init__(self, *args, days: list[datetime.date], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [("", "—")] + [
            (
                day.isoformat(),
                _("Day %(n)s (%(date)s)") % {"n": n, "date": date_format(day, "MONTH_DAY_FORMAT")},
            )
            for n, day in enumerate(days, start=1)
        ]

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is %(size)s; the limit is %(limit)s.")
                % {"size": file_size(file.size), "limit": file_size(MAX_UPLOAD_BYTES)}
            )
        if not file.name.lower().endswith((".xlsx", ".xls", ".ods", ".csv", ".txt")):
            raise ValidationError(_("Only XLSX, XLS, ODS and CSV files can be imported."))
        return file


class ImportConfirmForm(forms.Form):
    """The secretariat's answers to a preview: which changes to known people to
    apply (each checkbox carries the new value it was shown with), and for each
    organisation the register does not hold, an existing one or how to create it."""

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        for row in plan.rows:
            for change in row.changes:
                change.ticked = self.data.get(f"change-{row.line}-{change.field}") == change.token
        self.organisation_rows = []
        for new in plan.new_organisations:
            prefix = f"org-{new.key}-"
            self.fields[prefix + "existing"] = forms.CharField(
                label=_("or an organisation of the register (name or acronym)"),
                required=False,
                max_length=200,
            )
            self.fields[prefix + "name"] = forms.CharField(
                label=_("Name"), max_length=200, initial=new.name, required=False
            )
            self.fields[prefix + "acronym"] = forms.CharField(
                label=_("Acronym"), max_length=30, required=False, initial=new.acronym
            )
            self.fields[prefix + "kind"] = forms.ChoiceField(
                label=_("Kind"),
                choices=OrganisationKind.choices,
                initial=OrganisationKind.UNKNOWN,
                required=False,
            )
            self.organisation_rows.append(
                (new, [self[prefix + name] for name in ("name", "acronym", "kind", "existing")])
            )

    def clean(self):
        cleaned = super().clean()
        matcher = importing.OrganisationMatcher()
        choices = {}
        for new in self.plan.new_organisations:
            prefix = f"org-{new.key}-"
            existing = normalise.clean_name(cleaned.get(prefix + "existing"))
            if existing:
                found = matcher.find(existing)
                if found is None:
                    self.add_error(
                        prefix + "existing",
                        _("No organisation “%(name)s” in the register.") % {"name": existing},
                    )
                choices[new.key] = importing.OrganisationChoice(existing=found)
            else:
                choices[new.key] = importing.OrganisationChoice(
                    name=normalise.clean_name(cleaned.get(prefix + "name")) or new.name,
                    acronym=normalise.clean_name(cleaned.get(prefix + "acronym")),
                    kind=cleaned.get(prefix + "kind") or OrganisationKind.UNKNOWN,
                )
        cleaned["organisations"] = choices
        cleaned["accepted"] = {
            (row.line, change.field, change.token)
            for row in self.plan.rows
            for change in row.changes
            if self.data.get(f"change-{row.line}-{change.field}") == change.token
        }
        return cleaned


class ImportReadingForm(forms.Form):
    """How the sheet is read, as the secretariat corrects it: a day for each tab, a field
    for each column and a role for each table; and, for the rows shown, which ones to
    leave out or take in, and which proposed matches with known people to accept."""

    def __init__(self, *args, sheet: importing.Sheet, days: list[datetime.date], shown, **kw):
        super().__init__(*args, **kw)
        self.sheet, self.shown = sheet, shown
        numbered = [
            (
                day,
                _("Day %(n)s (%(date)s)") % {"n": n, "date": date_format(day, "SHORT_DATE_FORMAT")},
            )
            for n, day in enumerate(days, start=1)
        ]
        tab_choices = [(day.isoformat(), label) for day, label in numbered] + [
            (importing.ALL_DAYS, _("All days")),
            ("", _("No day (days from its columns)")),
            (importing.NOT_READ, _("Not read")),
        ]
        column_choices = [("", _("Not used")), *importing.FIELD_LABELS.items()]
        column_choices += [
            (f"day:{day.isoformat()}", _("Presence on %(day)s") % {"day": label})
            for day, label in numbered
        ]
        self.tabs, self.tables = [], []
        for tab in sheet.tabs:
            if tab.has_table:
                name = f"tab-{tab.index}"
                self.fields[name] = forms.ChoiceField(
                    label=tab.name, choices=tab_choices, initial=tab.day, required=False
                )
                self.tabs.append((tab, self[name]))
            else:
                self.tabs.append((tab, None))
        for table in sheet.tables:
            role = f"role-{table.key}"
            self.fields[role] = forms.ChoiceField(
                label=_("Role of the people in this table"),
                choices=AttendanceRole.choices,
                initial=table.role or AttendanceRole.PARTICIPANT,
                required=False,
            )
            columns = []
            for column in table.columns:
                if not column.header and not column.samples:
                    continue
                name = f"col-{table.key}-{column.index}"
                self.fields[name] = forms.ChoiceField(
                    label=column.header or _("(no header)"),
                    choices=column_choices,
                    initial=column.field,
                    required=False,
                )
                columns.append((column, self[name]))
            self.tables.append((table, sheet.tab_names[table.tab], self[role], columns))

    def clean(self):
        """The mapping as it was, with what the page changed: a field absent from the
        request leaves its part of the reading as it is."""
        cleaned = super().clean()
        old = self.sheet.mapping
        mapping = importing.Mapping(
            tabs=dict(old.tabs),
            columns={key: dict(columns) for key, columns in old.columns.items()},
            roles=dict(old.roles),
            excluded=set(old.excluded),
            included=set(old.included),
            same=set(old.same),
        )

        def changed(name: str, current: str) -> str | None:
            value = cleaned.get(name) or ""
            return value if name in self.data and value != current else None

        for tab, field in self.tabs:
            if field is not None and (value := changed(f"tab-{tab.index}", tab.day)) is not None:
                mapping.tabs[tab.index] = value
        for table, _tab, _role, columns in self.tables:
            current_role = table.role or AttendanceRole.PARTICIPANT
            if (role := changed(f"role-{table.key}", current_role)) is not None:
                mapping.roles[table.key] = role
            for column, _field in columns:
                name = f"col-{table.key}-{column.index}"
                if (value := changed(name, column.field)) is not None:
                    mapping.columns.setdefault(table.key, {})[str(column.index)] = value
        if "rows-shown" in self.data:
            for row in self.shown:
                line = row.line
                for chosen, box in ((mapping.excluded, "leave-out"), (mapping.included, "take-in")):
                    chosen.discard(line)
                    if self.data.get(f"{box}-{line}"):
                        chosen.add(line)
                mapping.same.discard(line)
                if row.proposal is not None and self.data.get(f"same-{line}") == "yes":
                    mapping.same.add(line)
        cleaned["mapping"] = mapping
        return cleaned


class PersonEditForm(PersonDetailsMixin, forms.ModelForm):
    """Every field of a person, as the secretariat corrects them."""

    class Meta:
        model = Person
        fields = [
            "full_name",
            "sex",
            "birth_year",
            "age_group",
            "phone",
            "email",
            "organisation",
            "position",
            "region",
            "consent_recorded",
            "consent_date",
        ]
        widgets = {"consent_date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["birth_year"].widget.attrs.update(min=1900, max=2100)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("birth_year") is not None:
            # A year of birth says more than a typed range.
            cleaned["age_group"] = ""
        return cleaned


class MergeForm(forms.Form):
    other = forms.ModelChoiceField(
        queryset=Person.objects.all(), widget=forms.HiddenInput, label=_("Other record")
    )
