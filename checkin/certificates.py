"""Certificates of participation as PDF, drawn with fpdf2.

fpdf2's built-in Helvetica needs no font file; written in Windows-1252 it
covers French (« Keïta », « Ségou », « Œuvre », ’). A character beyond it
(rare in Malian names typed on a phone) is written without its accent, or
as « ? », rather than failing the whole batch.
"""

from __future__ import annotations

import unicodedata

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from fpdf import FPDF

from workshops.models import Attendance, Workshop

ENCODING = "windows-1252"
GREEN = (11, 110, 79)
INK = (29, 33, 37)
MUTED = (80, 90, 99)


def printable(text: str) -> str:
    """The text in the core font's encoding: accents kept where it has them."""
    out = []
    for char in text:
        try:
            char.encode(ENCODING)
        except UnicodeEncodeError:
            bare = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            char = bare or "?"
        out.append(char)
    return "".join(out)


def workshop_dates(workshop: Workshop) -> str:
    start = date_format(workshop.start_date, "DATE_FORMAT")
    if workshop.end_date == workshop.start_date:
        return _("on %(date)s") % {"date": start}
    end = date_format(workshop.end_date, "DATE_FORMAT")
    return _("from %(start)s to %(end)s") % {"start": start, "end": end}


def workshop_place(workshop: Workshop) -> str:
    return ", ".join(part for part in (workshop.venue, workshop.city) if part)


def certificates_pdf(workshop: Workshop, attendances: list[Attendance], *, language: str) -> bytes:
    """One A4 landscape page per attendance, in the language given."""
    settings = getattr(workshop, "certificate_settings", None)
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.core_fonts_encoding = ENCODING
    pdf.set_auto_page_break(auto=False)
    with translation.override(language):
        pdf.set_title(printable(_("Certificate of participation")))
        pdf.set_creator("AC-RSS")
        for attendance in attendances:
            _page(pdf, workshop, attendance, settings)
    return bytes(pdf.output())


def _line(pdf: FPDF, text: str, *, size: int, style: str = "", color=INK, gap: float = 4):
    pdf.set_font("Helvetica", style=style, size=size)
    pdf.set_text_color(*color)
    pdf.multi_cell(0, size * 0.5, printable(text), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(gap)


def _page(pdf: FPDF, workshop: Workshop, attendance: Attendance, settings) -> None:
    pdf.add_page()
    pdf.set_draw_color(*GREEN)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_margins(25, 25, 25)
    pdf.set_y(28)
    alliance = _("Alliance Citoyenne pour la Réforme du Secteur de la Sécurité")
    _line(pdf, alliance, size=14, style="B", color=GREEN, gap=1)
    _line(pdf, "AC-RSS — Mali", size=11, color=MUTED, gap=12)
    _line(pdf, _("Certificate of participation").upper(), size=26, style="B", gap=10)
    _line(pdf, _("The alliance certifies that"), size=13, gap=4)
    _line(pdf, attendance.person.full_name, size=24, style="B", color=GREEN, gap=6)
    _line(pdf, _("took part in"), size=13, gap=3)
    _line(pdf, _("“%(title)s”") % {"title": workshop.title}, size=17, style="B", gap=3)
    where, dates = workshop_place(workshop), workshop_dates(workshop)
    held = _("held %(dates)s") % {"dates": dates}
    if where:
        held = _("held %(dates)s in %(place)s") % {"dates": dates, "place": where}
    _line(pdf, held, size=13, gap=2)
    days = getattr(attendance, "days_present", None)
    if days is None:
        days = attendance.presences.count()
    total = len(workshop.days)
    _line(
        pdf,
        ngettext("present %(days)d day of %(total)d", "present %(days)d days of %(total)d", days)
        % {"days": days, "total": total},
        size=11,
        color=MUTED,
        gap=10,
    )
    done = _("Done at %(city)s, on %(date)s") % {
        "city": workshop.city or "Bamako",
        "date": date_format(timezone.localdate(), "DATE_FORMAT"),
    }
    # The signature sits at the foot of the page, lower when a long title pushes it.
    pdf.set_y(max(pdf.get_y(), pdf.h - 62))
    pdf.set_font("Helvetica", size=11)
    pdf.set_text_color(*INK)
    pdf.cell(0, 6, printable(done), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(14)
    if settings and settings.signatory_name:
        pdf.set_font("Helvetica", style="B", size=12)
        pdf.cell(0, 6, printable(settings.signatory_name), align="R", new_x="LMARGIN", new_y="NEXT")
    if settings and settings.signatory_function:
        pdf.set_font("Helvetica", size=11)
        pdf.set_text_color(*MUTED)
        pdf.cell(0, 6, printable(settings.signatory_function), align="R")
