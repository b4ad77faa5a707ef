"""What the benchmark measures, and the ceilings it holds the portal to."""

from __future__ import annotations

from dataclasses import dataclass

# The accounts the benchmark signs in with (one password; staff have this TOTP secret).
PASSWORD = "bench-acrss-2022"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
SECRETARIAT = "bench-secretariat@example.org"
COMMITTEE = "bench-committee@example.org"
PARTNER = "bench-fes@example.org"
# A representative whose organisation's application is a draft, and one without
# an organisation yet: the membership page and the organisation form.
REPRESENTATIVE = "bench-representative@example.org"
NEWCOMER = "bench-newcomer@example.org"


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    # Who asks: None for a visitor, else the account's e-mail address.
    account: str | None
    # Filled in with the data set's identifiers: {big}, {fes}.
    path: str
    # The least throughput, as a share of the bare view's.
    target: float


BARE = "/bench/ok/"
PAGES = [
    Page("home", "home", None, "/", 0.25),
    Page("directory", "directory", None, "/directory/", 0.25),
    Page("public", "public workshop page", None, "/workshops/{big}/", 0.25),
    Page("bare-signed-in", "bare view, signed in", SECRETARIAT, BARE, 0.5),
    Page("queue", "committee queue", COMMITTEE, "/applications/", 0.08),
    Page("workshops", "workshop list (secretariat)", SECRETARIAT, "/workshops/", 0.08),
    Page(
        "manage",
        "workshop management, 300 participants",
        SECRETARIAT,
        "/workshops/{big}/manage/",
        0.08,
    ),
    Page("report-all", "reports, all workshops (FES)", PARTNER, "/reports/", 0.10),
    Page("report-one", "report of one workshop", PARTNER, "/reports/workshops/{big}/", 0.10),
    Page(
        "report-set",
        "report of a filtered set",
        PARTNER,
        # A partner and a period that hold workshops at both sizes, so that the
        # queries compared small → large count the same work.
        "/reports/?partner={fes}&start=2023-01-01&end=2024-12-31",
        0.10,
    ),
]
REPORTS = ["report-all", "report-one", "report-set"]
# The day of a workshop: door check-ins a second while the reports are read, the
# least throughput of each report page then (a share of the bare view's), and
# the first view of a report right after a check-in.
DOOR_RATES = [0, 0.5, 5]
DAY_TARGET = 0.10
FIRST_VIEWS = 10
FIRST_VIEW_SECONDS = 0.2
# The applicant's journey, loaded in Chromium on a 3G profile.
J1_PAGES = [
    ("sign-up", None, "/account/signup/"),
    ("organisation form", NEWCOMER, "/membership/organisation/new/"),
    ("membership page", REPRESENTATIVE, "/membership/"),
]
EXPORT_ROWS = [1_000, 10_000, 100_000]
EXPORTS = [("CSV", "/reports/list.csv"), ("XLSX", "/reports/export.xlsx")]

# Ceilings from the product's budgets.
HTML_KB = 30
TOTAL_KB = 60
J1_SECONDS = 2.0
CSV_OVER_COPY = 4.0
CSV_FIRST_BYTE_SECONDS = 0.3
CSV_MEMORY_MB = 10
