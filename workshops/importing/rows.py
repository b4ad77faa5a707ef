"""One row of a sheet as it would be written: its values, each unreadable one kept
unknown and flagged with its raw text, and its verdict against the register."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from common.phones import normalise_phone
from common.text import match_key, person_name_key
from members.models import Organisation, Region
from workshops import normalise
from workshops.models import AgeGroup, AttendanceRole, Person, Sex, Workshop

ROLE_WORDS = {
    AttendanceRole.PARTICIPANT: {"participant", "participante", "participants"},
    AttendanceRole.FACILITATOR: {"facilitateur", "facilitatrice", "facilitator", "moderateur"},
    AttendanceRole.SPEAKER: {
        "intervenant",
        "intervenante",
        "speaker",
        "panelist",
        "panéliste",
        "paneliste",
        "communicateur",
        "communicatrice",
    },
    AttendanceRole.ORGANISER: {"organisateur", "organisatrice", "organiser", "organisation"},
    AttendanceRole.OFFICIAL_GUEST: {
        "inviteofficiel",
        "inviteeofficielle",
        "officialguest",
        "invite",
        "invitee",
        "officiel",
    },
    AttendanceRole.PRESS: {"presse", "press", "journaliste", "media", "medias"},
}


NEW = "new"
MATCHED = "matched"
DUPLICATE = "duplicate"
REFUSED = "refused"
SKIPPED = "skipped"


# The fields a known person may see changed by an import, each only if accepted.
@dataclass
class Change:
    """One value of a known person that the sheet would change (old → new)."""

    field: str
    label: str
    old: str
    new: str
    token: str  # the new value as the confirmation form sends it back
    ticked: bool = False


@dataclass
class PlannedRow:
    line: int  # unique in the file: its tab's index * LINE_SPAN + its number in the tab
    tab_name: str = ""
    number: int = 0  # in its tab
    full_name: str = ""
    sex: str = Sex.UNKNOWN
    birth_year: int | None = None
    age_group: str = AgeGroup.UNKNOWN
    phone: str = ""
    email: str = ""
    organisation_name: str = ""
    position: str = ""
    region: str = ""
    role: str = AttendanceRole.PARTICIPANT
    days: list[datetime.date] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # values flagged, kept unknown
    refusal: str = ""
    verdict: str = NEW
    person: Person | None = None
    matched_by: str = ""
    organisation: Organisation | None = None
    organisation_key: str = ""
    new_organisation: bool = False
    same_as_line: int | None = None
    merged_lines: list[int] = field(default_factory=list)
    already_registered: bool = False
    changes: list[Change] = field(default_factory=list)
    age_group_label: str = ""
    # A known person who may be the same, and what they share (name, phone or e-mail):
    # kept apart unless the secretariat says yes.
    proposal: Person | None = None
    proposed_by: str = ""
    proposal_accepted: bool = False
    proposal_registered: bool = False
    proposal_last_met: datetime.date | None = None
    same_as_label: str = ""
    skip: str = ""  # why a skipped row is not a person (layout's SKIP_…)
    merged_labels: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """Where the row is: its number, and its tab's name in a workbook of several."""
        return f"{self.number} ({self.tab_name})" if self.tab_name else str(self.number)

    @property
    def sex_label(self) -> str:
        """The sex the register will hold: a known person's own until a change is accepted."""
        return Sex(self.person.sex if self.verdict == MATCHED else self.sex).label

    @property
    def role_label(self) -> str:
        return AttendanceRole(self.role).label

    @property
    def counted(self) -> bool:
        return self.verdict in (NEW, MATCHED)

    @property
    def is_person(self) -> bool:
        return self.verdict in (NEW, MATCHED, DUPLICATE)


def _cell(cells: list, columns: dict[str, int], name: str):
    position = columns.get(name)
    if position is None or position >= len(cells):
        return None
    value = cells[position]
    return value.strip() if isinstance(value, str) else value


def _clean_role(value) -> str:
    key = match_key(str(value if value is not None else ""))
    if not key:
        return AttendanceRole.PARTICIPANT
    for role, words in ROLE_WORDS.items():
        if key in words:
            return role
    raise normalise.Unreadable(
        _("Role “%(value)s” not understood: participant.") % {"value": value}
    )


def _clean_region(value) -> str:
    key = match_key(str(value if value is not None else ""))
    if not key:
        return ""
    for region in Region:
        if key in (match_key(region.value), match_key(region.label)) or (
            region == Region.BAMAKO and key in ("bamako", "districtdebamako")
        ):
            return region.value
    raise normalise.Unreadable(_("Region “%(value)s” not understood: unknown.") % {"value": value})


def _clean_phone(value) -> str:
    if isinstance(value, str) and match_key(value) in normalise.UNKNOWN_WORDS:
        return ""
    try:
        return normalise_phone(value)
    except ValueError:
        raise normalise.Unreadable(
            _("Phone “%(value)s” not understood: not recorded.") % {"value": value}
        ) from None


def _fits(row: PlannedRow, text: str, max_length: int, what: str) -> str:
    if len(text) <= max_length:
        return text
    row.notes.append(
        _("%(what)s longer than %(max)s characters: cut.") % {"what": what, "max": max_length}
    )
    return text[:max_length]


def parse_row(line, workshop: Workshop, days: list[datetime.date], role: str) -> PlannedRow:
    """A person row's values, each unreadable one unknown and flagged; refused without a name."""
    cells, columns = line.cells, line.table.fields
    row = PlannedRow(line=line.id, number=line.number, role=role or AttendanceRole.PARTICIPANT)
    name = normalise.clean_name(_cell(cells, columns, "full_name"))
    if not name:
        first, last = _cell(cells, columns, "first_name"), _cell(cells, columns, "last_name")
        name = normalise.clean_name(f"{first or ''} {last or ''}")
    if not person_name_key(name):
        row.verdict, row.refusal = REFUSED, _("No name.")
        return row
    row.full_name = _fits(row, name, Person._meta.get_field("full_name").max_length, _("Name"))
    readers = [
        ("sex", normalise.clean_sex, "sex"),
        ("phone", _clean_phone, "phone"),
        ("email", normalise.clean_email, "email"),
        ("region", _clean_region, "region"),
    ]
    if "role" in columns and _cell(cells, columns, "role") not in (None, ""):
        readers.append(("role", _clean_role, "role"))
    for attribute, reader, column in readers:
        try:
            setattr(row, attribute, reader(_cell(cells, columns, column)))
        except normalise.Unreadable as unreadable:
            row.notes.append(str(unreadable))
    age = normalise.read_age(
        age=_cell(cells, columns, "age"),
        birth=_cell(cells, columns, "birth"),
        on=workshop.start_date,
    )
    row.birth_year, row.age_group = age.birth_year, age.age_group
    row.notes += age.notes
    organisation = normalise.clean_name(_cell(cells, columns, "organisation"))
    row.organisation_name = _fits(
        row, organisation, Organisation._meta.get_field("name").max_length, _("Organisation")
    )
    row.organisation_key = match_key(row.organisation_name)
    row.position = _fits(
        row, normalise.clean_name(_cell(cells, columns, "position")), 120, _("Position")
    )
    present = set(days)
    for position, day in line.table.days.items():
        try:
            if normalise.is_present(_value(cells, position)):
                present.add(day)
        except normalise.Unreadable as unreadable:
            row.notes.append(str(unreadable))
    row.days = sorted(present)
    return row


def _value(cells: list, position: int):
    value = cells[position] if position < len(cells) else None
    return value.strip() if isinstance(value, str) else value
