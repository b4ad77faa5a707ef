"""Projects, workshops, the people who attend them, their presence and outcomes.

The attendance reports read these tables directly, so every fact a report
breaks down by (sex, birth year, role, organisation, region, day present) is a
plain column, and unknown stays unknown (never a guessed default).

Each concern has its module; Django, and every importer, reads the models from
here:

- `choices.py`: the closed lists (kinds, statuses, sexes, age groups, roles…);
- `workshops.py`: projects, workshops and their outcomes;
- `people.py`: people;
- `attendance.py`: attendance and daily presence;
- `files.py`: documents and photos;
- `imports.py`: typed sign-in sheets waiting to be imported, and their reports;
- `summaries.py`: the figures the database's triggers keep (see ../summaries/).
"""

from workshops.models.attendance import Attendance, AttendanceQuerySet, Presence
from workshops.models.choices import (
    AgeGroup,
    AttendanceRole,
    Horizon,
    ImportStatus,
    OutcomeKind,
    OutcomeStatus,
    Sex,
    WorkshopKind,
    WorkshopStatus,
)
from workshops.models.files import (
    WorkshopDocument,
    WorkshopFile,
    WorkshopPhoto,
    private_upload_path,
)
from workshops.models.imports import (
    AttendanceImport,
    AttendanceImportQuerySet,
    ImportMapping,
    ImportMappingQuerySet,
    import_upload_path,
)
from workshops.models.people import Person, PersonQuerySet
from workshops.models.summaries import (
    AttendanceFact,
    ScopeOrganisation,
    ScopePerson,
    ScopeSummary,
    SummaryState,
    WorkshopDay,
    WorkshopOrganisation,
    WorkshopSummary,
)
from workshops.models.workshops import (
    Outcome,
    OutcomeQuerySet,
    Project,
    Workshop,
    WorkshopQuerySet,
)

__all__ = [
    "AgeGroup",
    "Attendance",
    "AttendanceFact",
    "AttendanceImport",
    "AttendanceImportQuerySet",
    "AttendanceQuerySet",
    "AttendanceRole",
    "Horizon",
    "ImportMapping",
    "ImportMappingQuerySet",
    "ImportStatus",
    "Outcome",
    "OutcomeKind",
    "OutcomeQuerySet",
    "OutcomeStatus",
    "Person",
    "PersonQuerySet",
    "Presence",
    "Project",
    "ScopeOrganisation",
    "ScopePerson",
    "ScopeSummary",
    "Sex",
    "SummaryState",
    "Workshop",
    "WorkshopDay",
    "WorkshopDocument",
    "WorkshopFile",
    "WorkshopKind",
    "WorkshopOrganisation",
    "WorkshopPhoto",
    "WorkshopQuerySet",
    "WorkshopStatus",
    "WorkshopSummary",
    "import_upload_path",
    "private_upload_path",
]
