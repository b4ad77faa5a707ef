"""The register of personal data: every field of the portal that holds a name,
a phone number, an e-mail address, a position, free text typed by or about a
person, or a raw value kept from an import, and what erasing a person does
with it.

Erasure (`workshops.services.erase_person`), the personal-data export
(`personal_data_of`) and retention (`apply_retention`) read this register;
`tests/test_personal_data_register.py` fails when a model gains a field that
looks personal and is neither listed here nor in `NOT_PERSONAL`.

Models are named by label ("app.Model"): this module imports no app. Each app
says, when it is ready, how it erases and exports its part of a person's data
(`handles_erasure`, `handles_export`); erasing a person fails loudly when a
model of the register has nobody to erase it.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


class Subject(enum.StrEnum):
    """Whose data it is."""

    # Someone who attended an event: erased on request or after the retention period.
    PERSON = "person"
    # The holder of an account, about themselves or in their role (a vote's comment).
    ACCOUNT = "account"
    # An organisation's contact, which may be a person's own phone or address.
    ORGANISATION = "organisation"


class Erasure(enum.StrEnum):
    """What erasing a person does with a field."""

    BLANK = "blank"  # emptied (a number becomes unknown)
    DELETE_ROW = "delete the row"  # the whole row goes
    SCRUB_ROWS = "scrub"  # JSON rows naming the person lose their name and raw values
    REWRITE_FILE = "rewrite the file"  # a file naming the person is written again without them
    # Not an attendee's: kept while the account or organisation is, changed by
    # its holder or representatives (accounts are deactivated, never erased here).
    KEPT = "kept"


@dataclass(frozen=True)
class Entry:
    model: str
    field: str
    subject: Subject
    erasure: Erasure
    what: str


P, A, ORG = Subject.PERSON, Subject.ACCOUNT, Subject.ORGANISATION

# An attendee's fields in the order erasure reaches them: the person's own row
# last, since the others are found by its name, phone and e-mail.
REGISTER: tuple[Entry, ...] = (
    # A participant's own check-in, as they typed it.
    Entry("checkin.SelfCheckIn", "full_name", P, Erasure.DELETE_ROW, "name"),
    Entry("checkin.SelfCheckIn", "name_key", P, Erasure.DELETE_ROW, "name, for matching"),
    Entry("checkin.SelfCheckIn", "phone", P, Erasure.DELETE_ROW, "phone"),
    Entry("checkin.SelfCheckIn", "email", P, Erasure.DELETE_ROW, "e-mail"),
    Entry("checkin.SelfCheckIn", "position", P, Erasure.DELETE_ROW, "position"),
    Entry("checkin.SelfCheckIn", "birth_year", P, Erasure.DELETE_ROW, "year of birth"),
    Entry("checkin.SelfCheckIn", "organisation_name", P, Erasure.DELETE_ROW, "organisation"),
    # Typed sheets: a preview's sheet names people; a confirmed import's report keeps
    # the names of the rows it had a word on, with the raw values it flagged.
    Entry("workshops.AttendanceImport", "file", P, Erasure.DELETE_ROW, "sheet to confirm"),
    Entry("workshops.AttendanceImport", "report", P, Erasure.SCRUB_ROWS, "rows, raw values"),
    # Large exports written in the background list the attendees by name.
    Entry("reports.ExportJob", "file", P, Erasure.REWRITE_FILE, "list of attendees"),
    # E-mails owed to an address (a certificate to an attendee), until sent and forgotten.
    Entry("common.OutgoingEmail", "to", P, Erasure.DELETE_ROW, "e-mail"),
    Entry("common.OutgoingEmail", "subject", P, Erasure.DELETE_ROW, "a workshop's title"),
    Entry("common.OutgoingEmail", "body", P, Erasure.DELETE_ROW, "name, until sent"),
    Entry("common.OutgoingEmail", "html", P, Erasure.DELETE_ROW, "name, until sent"),
    Entry("common.OutgoingEmail", "attachments", P, Erasure.DELETE_ROW, "certificate, until sent"),
    # The register of people: the identity goes, sex, organisation, region and presence stay.
    Entry("workshops.Person", "full_name", P, Erasure.BLANK, "name"),
    Entry("workshops.Person", "name_key", P, Erasure.BLANK, "name, for matching"),
    Entry("workshops.Person", "phone", P, Erasure.BLANK, "phone"),
    Entry("workshops.Person", "email", P, Erasure.BLANK, "e-mail"),
    Entry("workshops.Person", "position", P, Erasure.BLANK, "position"),
    Entry("workshops.Person", "birth_year", P, Erasure.BLANK, "year of birth"),
    # Accounts: their holder's own, deactivated in the admin, never erased by these tools.
    Entry("accounts.User", "email", A, Erasure.KEPT, "e-mail"),
    Entry("accounts.User", "full_name", A, Erasure.KEPT, "name"),
    Entry("account.EmailAddress", "email", A, Erasure.KEPT, "e-mail"),
    Entry("members.Vote", "comment", A, Erasure.KEPT, "a committee member's comment"),
    Entry("members.Application", "information_request", A, Erasure.KEPT, "the committee's"),
    Entry("members.Application", "decision_reason", A, Erasure.KEPT, "the committee's"),
    Entry("audit.AuditEntry", "data", A, Erasure.KEPT, "ids, votes' comments, reasons"),
    Entry("admin.LogEntry", "object_repr", A, Erasure.KEPT, "an account's name"),
    Entry("admin.LogEntry", "change_message", A, Erasure.KEPT, "fields changed"),
    Entry("checkin.CertificateSettings", "signatory_name", A, Erasure.KEPT, "signatory"),
    Entry("checkin.CertificateSettings", "signatory_function", A, Erasure.KEPT, "signatory"),
    # Organisations' contacts, changed by their representatives.
    Entry("members.Organisation", "phone", ORG, Erasure.KEPT, "contact phone"),
    Entry("members.Organisation", "email", ORG, Erasure.KEPT, "contact e-mail"),
    Entry("members.Organisation", "address", ORG, Erasure.KEPT, "contact address"),
)

# Fields that look personal by name or type, reviewed and found not to be:
# (model, field): why.
NOT_PERSONAL: dict[tuple[str, str], str] = {
    ("members.Organisation", "name"): "an organisation's name",
    ("members.Organisation", "name_key"): "an organisation's name, for matching",
    ("members.Organisation", "description"): "what an organisation does",
    ("members.Document", "original_name"): "the name of an organisation's uploaded file",
    ("workshops.Project", "name"): "a project's name",
    ("workshops.Workshop", "objectives"): "an event's objectives",
    ("workshops.Workshop", "summary"): "an event's public summary",
    ("workshops.Outcome", "text"): "an event's decision or recommendation",
    ("workshops.WorkshopPhoto", "caption"): "a public photo's caption",
    ("workshops.AttendanceImport", "file_name"): "the uploaded sheet's file name",
    ("workshops.AttendanceImport", "mapping"): (
        "how the sheet is read: columns to fields, tabs to days, rows left out and matches "
        "accepted, by tab, column and line number, never a typed value"
    ),
    ("workshops.ImportMapping", "columns"): "column numbers to fields under a header",
    ("reports.ExportJob", "file_name"): "built from the report's subject",
    ("common.OutgoingEmail", "from_email"): "the portal's own address",
    **{
        (model, field): why
        for model in ("django_tasks_database.DBTaskResult", "common.Job")
        for field, why in {
            "args_kwargs": "the ids of the rows a task works on",
            "task_path": "a function's name",
            "worker_ids": "random ids of workers",
            "queue_name": "a queue's name",
            "backend_name": "a backend's name",
            "return_value": "nothing: the portal's tasks return nothing",
            "exception_class_path": "an exception's name",
            "traceback": "a failed try's code path, with row ids",
        }.items()
    },
    ("auth.Group", "name"): "a role",
    ("auth.Permission", "name"): "a permission",
    ("auth.Permission", "codename"): "a permission",
    ("admin.LogEntry", "object_id"): "an id",
    ("sessions.Session", "session_data"): "signed ids and flags",
    ("mfa.Authenticator", "data"): "second-factor secrets, no identity",
}


def entries(*, model: str | None = None, subject: Subject | None = None) -> list[Entry]:
    return [
        entry
        for entry in REGISTER
        if (model is None or entry.model == model) and (subject is None or entry.subject == subject)
    ]


def fields_of(model: str, erasure: Erasure | None = None) -> list[str]:
    """The registered fields of one model, in the register's order."""
    return [
        entry.field for entry in entries(model=model) if erasure is None or entry.erasure == erasure
    ]


def models_of(subject: Subject) -> list[str]:
    """The models holding a subject's data, in the register's order."""
    return list(dict.fromkeys(entry.model for entry in entries(subject=subject)))


def erasure_steps() -> list[tuple[str, Erasure]]:
    """What erasing a person does, model by model, in the register's order."""
    return list(dict.fromkeys((e.model, e.erasure) for e in entries(subject=Subject.PERSON)))


_erasers: dict[tuple[str, Erasure], Callable] = {}
_exporters: dict[str, Callable] = {}
_expirers: dict[str, Callable] = {}


def handles_erasure(model: str, erasure: Erasure, function: Callable) -> None:
    """`function(person)` applies `erasure` to the rows of `model` that hold the
    person's data; it runs inside the erasure's transaction, the identity still known."""
    _erasers[model, erasure] = function


def handles_export(model: str, function: Callable) -> None:
    """`function(person)` lists, as JSON-ready values, the rows of `model` about them."""
    _exporters[model] = function


def handles_retention(model: str, function: Callable) -> None:
    """`function(day)` erases the rows of `model` about events before the day that
    belong to no person of the register (erased with them otherwise)."""
    _expirers[model] = function


def expire_everywhere(day) -> None:
    for model in models_of(Subject.PERSON):
        if model in _expirers:
            _expirers[model](day)


def erase_everywhere(person) -> None:
    for model, erasure in erasure_steps():
        try:
            eraser = _erasers[model, erasure]
        except KeyError:
            raise ImproperlyConfigured(f"Nothing erases {model} ({erasure})") from None
        eraser(person)


def held_elsewhere(person) -> dict[str, list]:
    """What the models of the register, other than those with no exporter (files,
    the person's own row), hold on a person."""
    return {
        model: _exporters[model](person)
        for model in models_of(Subject.PERSON)
        if model in _exporters
    }
