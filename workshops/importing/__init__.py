"""Read a typed sign-in sheet (XLSX, XLS, ODS or CSV) and say what importing it would do.

Nothing here writes. `book` turns any bytes into tabs of raw cells (or a
`SheetError` that says why it cannot); `layout` finds the tables in each tab,
what each column holds and why each row that is not a person is skipped, as
guessed and then as corrected by the secretariat's `Mapping`; `rows` reads a
person row's values; `people` and `organisations` match rows against the
register; `plan` returns what would happen: people added or found, matches only
proposed, values flagged, changes to known people (each applied only if the
secretariat accepts it), and the totals the workshop's report would then show.
`services.confirm_import` writes a plan.

A row is refused only when it has no name; every other unreadable value is
kept unknown and flagged with its raw text. Every line read is accounted for.
"""

from workshops.importing.book import MAX_ROWS, SheetError, Tab, read_tabs
from workshops.importing.headers import FIELD_LABELS
from workshops.importing.layout import Sheet, read_layout, read_sheet
from workshops.importing.mapping import ALL_DAYS, NOT_READ, Mapping
from workshops.importing.organisations import OrganisationMatcher, initials, split_acronym
from workshops.importing.plan import (
    NewOrganisation,
    OrganisationChoice,
    Plan,
    Totals,
    plan_import,
)
from workshops.importing.rows import (
    DUPLICATE,
    MATCHED,
    NEW,
    REFUSED,
    SKIPPED,
    Change,
    PlannedRow,
)

__all__ = [
    "ALL_DAYS",
    "DUPLICATE",
    "FIELD_LABELS",
    "MATCHED",
    "MAX_ROWS",
    "NEW",
    "NOT_READ",
    "REFUSED",
    "SKIPPED",
    "Change",
    "Mapping",
    "NewOrganisation",
    "OrganisationChoice",
    "OrganisationMatcher",
    "Plan",
    "PlannedRow",
    "Sheet",
    "SheetError",
    "Tab",
    "Totals",
    "initials",
    "plan_import",
    "read_layout",
    "read_sheet",
    "read_tabs",
    "split_acronym",
]
