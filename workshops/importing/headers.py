"""What a header cell, a tab's name or a table's title says: the field a column
holds, the workshop day a column or tab records, the role a table lists."""

from __future__ import annotations

import datetime
import functools
import re

from django.utils.translation import gettext_lazy as _

from common.text import match_key
from workshops.importing.book import Tab
from workshops.models import AttendanceRole, Workshop

# Column names as compared (match_key: no case, accents, spaces or punctuation).
COLUMNS = {
    "number": {"n", "no", "num", "numero", "nordre", "numerodordre", "nr"},
    "full_name": {
        "nometprenom", "nometprenoms", "nomsetprenoms", "nomprenom", "nomprenoms",
        "prenometnom", "prenomsetnom", "nomcomplet", "name", "fullname", "participant",
        "participante", "nomsprenoms", "identite", "prenomnom", "prenomsnom",
        "nameandsurname", "namesurname", "participantname", "nomduparticipant",
    },
    "last_name": {"nom", "lastname", "surname", "familyname", "nomdefamille", "noms"},
    "first_name": {"prenom", "prenoms", "firstname", "givenname"},
    "sex": {"sexe", "sex", "genre", "gender", "sexefm", "sexemf", "fm", "mf", "hf", "fh"},
    "organisation": {
        "structure", "organisation", "organization", "organisme", "institution", "osc",
        "structureorganisation", "association", "structuredorigine", "provenance",
        "structurerepresentee", "organisationrepresentee", "service", "entite",
    },
    "position": {"fonction", "poste", "position", "titre", "qualite", "jobtitle", "title"},
    "phone": {
        "telephone", "tel", "phone", "contact", "contacts", "numerodetelephone", "cel",
        "cellulaire", "mobile", "phonenumber", "telephonemobile", "tel1", "ndetelephone",
        "ntel", "ntelephone", "numerotel", "telephoneportable", "portable", "whatsapp",
    },
    "email": {
        "email", "mail", "courriel", "adresseemail", "emailaddress", "adressemail",
        "adresseelectronique",
    },
    "age": {"age", "agean", "ageans", "ageenannees", "tranchedage", "trancheage", "agetranche",
            "agegroup", "agerange"},
    "birth": {"anneedenaissance", "birthyear", "datedenaissance", "naissance", "dateofbirth",
              "yearofbirth", "annee", "ne", "nee", "neele", "neen"},
    "region": {"region", "regiondorigine"},
    "role": {"role", "categorie", "category", "statut", "qualitedeparticipation"},
}  # fmt: skip
HEADER_TO_COLUMN = {name: column for column, names in COLUMNS.items() for name in names}
FIELD_LABELS = {
    "full_name": _("Full name"),
    "last_name": _("Surname"),
    "first_name": _("First name"),
    "sex": _("Sex"),
    "age": _("Age or age group"),
    "birth": _("Birth date or year"),
    "organisation": _("Organisation"),
    "position": _("Position"),
    "role": _("Role"),
    "phone": _("Phone"),
    "email": _("E-mail"),
    "region": _("Region"),
    "number": _("Row number"),
}
# What an unused column's header may be about, to say so above the totals.
LOOKS_LIKE = {
    "sex": ("sex", "genre", "gender"),
    "age": ("age", "naiss", "birth", "annee"),
    "presence": ("jour", "day", "signature", "emargement", "presen", "date"),
}
PRESENCE_WORDS = ("signature", "emargement", "presence", "present", "presentjour")
DAY_PATTERN = re.compile(r"^(?:jour|day|j|d)(\d{1,2})$")
DATE_PATTERN = re.compile(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?")
WORD_DATE = re.compile(r"(\d{1,2})(?:er)?\s+([^\W\d_]+)")
ROLE_IN_TITLE = [
    (AttendanceRole.FACILITATOR, ("facilitat", "moderat")),
    (AttendanceRole.SPEAKER, ("intervenant", "speaker", "panel", "communicat", "conferencier")),
    (AttendanceRole.ORGANISER, ("organisateur", "organisatrice", "organiser", "organizer")),
    (AttendanceRole.OFFICIAL_GUEST, ("invite", "guest", "officiel")),
    (AttendanceRole.PRESS, ("presse", "press", "journalist", "media")),
    (AttendanceRole.PARTICIPANT, ("participant",)),
]


def text_of(cell) -> str:
    return " ".join(str(cell if cell is not None else "").split())


def field_of_header(cell) -> str | None:
    """The field a header names, read as typed, then without what follows in brackets
    (« Sexe (H/F) »), then each part around a slash (« Âge/Age »)."""
    if not isinstance(cell, str):
        return None
    return _field_of_text(cell)


@functools.lru_cache(maxsize=4096)
def _field_of_text(cell: str) -> str | None:
    text = text_of(cell)
    if not text or len(text) > 80:
        return None
    candidates = [text, re.sub(r"[(\[].*?([)\]]|$)", " ", text)]
    candidates += re.split(r"[/|]", candidates[1])
    for candidate in candidates:
        if (field := HEADER_TO_COLUMN.get(match_key(candidate))) is not None:
            return field
    return None


def _from_month_words(text: str, year: int) -> datetime.date | None:
    from workshops.normalise import MONTHS

    for day, month in WORD_DATE.findall(text):
        if (number := MONTHS.get(match_key(month))) is not None:
            try:
                return datetime.date(year, number, int(day))
            except ValueError:
                return None
    return None


def day_of_text(cell, workshop: Workshop, *, lone_signature: bool = True) -> datetime.date | None:
    """The workshop day a column header or a tab's name records, or None."""
    days = workshop.days
    if isinstance(cell, datetime.datetime):
        cell = cell.date()
    if isinstance(cell, datetime.date):
        return cell if cell in days else None
    text = text_of(cell).lower()
    key = match_key(text)
    for word in PRESENCE_WORDS:
        key = key.replace(word, "")
    key = key.removeprefix("le")
    if date := DATE_PATTERN.search(text):
        day, month, year = date.groups()
        year = int(year) if year else workshop.start_date.year
        year += 2000 if year < 100 else 0
        try:
            found = datetime.date(year, int(month), int(day))
        except ValueError:
            return None
        return found if found in days else None
    if (found := _from_month_words(text, workshop.start_date.year)) is not None:
        return found if found in days else None
    if number := DAY_PATTERN.match(key):
        index = int(number.group(1)) - 1
        return days[index] if 0 <= index < len(days) else None
    if lone_signature and key == "" and match_key(text) and len(days) == 1:
        # A lone "Signature" or "Présence" column on a one-day event.
        return days[0]
    return None


EVENT_WORDS = ("atelier", "forum", "formation", "session", "seminaire", "reunion", "assemblee",
               "workshop", "training", "meeting", "conference", "journee")  # fmt: skip


def role_of_title(title: str) -> str:
    """The role a table's title names (« Liste des facilitateurs »), or "": only a short
    title, and not one naming the event (« Atelier de formation des journalistes »)."""
    key = match_key(title)
    if len(title.split()) > 6 or any(word in key for word in EVENT_WORDS):
        return ""
    found = [
        (key.find(stem), role) for role, stems in ROLE_IN_TITLE for stem in stems if stem in key
    ]
    return min(found)[1] if found else ""


def looks_like(header: str) -> str:
    """ "sex", "age" or "presence" when an unused column's header seems to say so."""
    key = match_key(header)
    for what, stems in LOOKS_LIKE.items():
        if any(stem in key for stem in stems):
            return what
    return ""


def header_of(row: list, workshop: Workshop) -> tuple[dict[int, str], dict[int, datetime.date]]:
    """The fields and days a row names when it is a header row, else two empty dicts:
    a header names a name column and at least one other."""
    fields: dict[int, str] = {}
    days: dict[int, datetime.date] = {}
    for position, cell in enumerate(row):
        field = field_of_header(cell)
        if field and field not in fields.values():
            fields[position] = field
    if not {"full_name", "last_name"} & set(fields.values()):
        return {}, {}
    for position, cell in enumerate(row):
        if position not in fields and (day := day_of_text(cell, workshop)) is not None:
            days[position] = day
    if len(fields) + len(days) >= 2:
        return fields, days
    return {}, {}


def header_key(row: list) -> str:
    """A header as remembered: its cells' text, compared without case, accents or spaces."""
    return "|".join(match_key(text_of(cell)) for cell in row).rstrip("|")[:500]


def tab_day(tab: Tab, workshop: Workshop) -> datetime.date | None:
    return day_of_text(tab.name, workshop, lone_signature=False)
