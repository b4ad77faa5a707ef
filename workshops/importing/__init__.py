"""Read a typed sign-in sheet (XLSX or CSV) and say what importing it would do.

Nothing here writes. `sheets` turns any bytes into rows of raw cells (or a
`SheetError` that says why it cannot); `plan` reads each row's values, matches
the row against the register of people and of organisations (`organisations`),
and returns what would happen: people added or found, values flagged, changes
to known people (each applied only if the secretariat accepts it), and the
totals the workshop's report would then show. `services.confirm_import` writes
a plan.

A row is refused only when it has no name; every other unreadable value is
kept unknown and flagged with its raw text.
"""

from workshops.importing.organisations import OrganisationMatcher, initials, split_acronym
from workshops.importing.plan import (
    DUPLICATE,
    MATCHED,
    NEW,
    REFUSED,
    Change,
    NewOrganisation,
    OrganisationChoice,
    Plan,
    PlannedRow,
    Totals,
    plan_import,
)
from workshops.importing.sheets import MAX_ROWS, Sheet, SheetError, read_sheet

__all__ = [
    "DUPLICATE",
    "MATCHED",
    "MAX_ROWS",
    "NEW",
    "REFUSED",
    "Change",
    "NewOrganisation",
    "OrganisationChoice",
    "OrganisationMatcher",
    "Plan",
    "PlannedRow",
    "Sheet",
    "SheetError",
    "Totals",
    "initials",
    "plan_import",
    "read_sheet",
    "split_acronym",
]
