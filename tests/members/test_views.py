"""The membership pages as their people use them, without JavaScript."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members import services
from members.models import Application, Document, Organisation
from tests.factories import PDF_BYTES, make_application, make_organisation, make_user
from tests.queries import queries_drawn_afresh

pytestmark = pytest.mark.django_db

PROFILE = {
    "name": "Réseau des Femmes de Kita",
    "acronym": "RFK",
    "kind": "women",
    "region": "kita",
    "locality": "Kita",
    "phone": "76 12 34 56",
    "registration_number": "0123/CKT",
    "registration_date": "2019-05-02",
    "founding_year": "2018",
    "themes": ["gender", "peace"],
    "description": "Groupement de femmes pour la paix.",
}


def test_an_applicant_chooses_a_kind_but_never_unknown(client, representative):
    client.force_login(representative)
    form = client.get("/membership/organisation/new/").content.decode()
    assert 'value="ngo"' in form
    assert 'value="unknown"' not in form
    response = client.post("/membership/organisation/new/", {**PROFILE, "kind": "unknown"})
    assert response.status_code == 200
    assert not Organisation.objects.exists()


def test_a_representative_describes_the_organisation_and_gets_a_draft(client, representative):
    client.force_login(representative)
    response = client.post(reverse("members:create"), PROFILE)
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.phone == "+22376123456"
    assert sorted(organisation.themes.values_list("code", flat=True)) == ["gender", "peace"]
    assert organisation.applications.get().status == "draft"
    page = client.get(reverse("members:mine")).content.decode()
    assert "Brouillon" in page
    assert "Statuts" in page  # still missing


def test_a_duplicate_organisation_is_refused_naming_the_existing_one(client, representative):
    make_organisation(name="Réseau des femmes de Kita", acronym="")
    client.force_login(representative)
    response = client.post(reverse("members:create"), {**PROFILE, "acronym": ""})
    assert response.status_code == 200
    assert (
        "déjà enregistrée sous le nom «\u00a0Réseau des femmes de Kita\u00a0»"
        in response.content.decode()
    )
    assert Organisation.objects.count() == 1


@pytest.mark.time_machine(dt.datetime(2025, 3, 4, 10, 0, tzinfo=dt.UTC), tick=False)
def test_bad_input_gets_clear_french_messages(client, representative):
    client.force_login(representative)
    response = client.post(
        reverse("members:create"),
        {**PROFILE, "name": "", "phone": "12", "registration_date": "2025-03-05"},
    )
    html = response.content.decode()
    assert "Ce champ est obligatoire." in html
    assert "les 8 chiffres d&#x27;un numéro malien" in html
    assert "ne peut pas être dans le futur" in html
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("statuts.pdf", b"<html><body>not a pdf</body></html>", "Seuls les fichiers PDF"),
        (
            "statuts.pdf",
            b"%PDF-1.4" + b"0" * (5 * 1024 * 1024),
            "fait 5,0\u00a0Mo\u00a0; la limite est de 5,0\u00a0Mo",
        ),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused(
    client, representative, name, content, message
):
    make_application(representative)
    client.force_login(representative)
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(reverse("members:add-document"), {"kind": "statutes", "file": upload})
    assert message in response.content.decode()
    assert not Document.objects.exists()


def test_a_document_is_downloaded_as_an_attachment_never_sniffed(
    client, representative, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    make_application(representative)
    client.force_login(representative)
    upload = SimpleUploadedFile("Statuts AMPS.pdf", PDF_BYTES, content_type="text/html")
    client.post(reverse("members:add-document"), {"kind": "statutes", "file": upload})
    document = Document.objects.get()
    assert document.content_type == "application/pdf"
    assert document.file.path.startswith(str(tmp_path))
    assert "Statuts" not in document.file.name  # stored under a random name
    response = client.get(reverse("members:document", args=[document.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    # Downloaded under the name it was sent with.
    assert 'filename="Statuts AMPS.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.parametrize(
    ("language", "size", "history"),
    [
        ("fr", "300\u00a0Ko", "Document ajouté\u00a0: statuts.pdf"),
        ("en", "300\u00a0KB", "Document added: statuts.pdf"),
    ],
)
def test_a_document_under_a_megabyte_shows_its_real_size_and_its_history_line(
    client, representative, language, size, history
):
    make_application(representative)
    client.force_login(representative)
    client.cookies["django_language"] = language
    pdf = PDF_BYTES + b"%" + b"0" * (300 * 1024 - len(PDF_BYTES) - 2) + b"\n"
    upload = SimpleUploadedFile("statuts.pdf", pdf, content_type="application/pdf")
    response = client.post(
        reverse("members:add-document"), {"kind": "statutes", "file": upload}, follow=True
    )
    page = response.content.decode()
    assert f"({size}, " in page
    assert "Mo," not in page
    assert "MB," not in page
    assert f"<strong>{history}</strong>" in page


@pytest.mark.parametrize(
    ("language", "one_day", "two_days"),
    [("fr", "(il y a 1 jour)", "(il y a 2 jours)"), ("en", "(1 day ago)", "(2 days ago)")],
)
def test_an_application_says_how_long_it_has_waited_in_good_grammar(
    client, representative, committee_member, time_machine, language, one_day, two_days
):
    time_machine.move_to(dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC), tick=False)
    application = make_application(representative, status="submitted")
    url = reverse("members:application", args=[application.pk])
    client.cookies["django_language"] = language
    for day, waited in ((4, one_day), (5, two_days)):
        time_machine.move_to(dt.datetime(2025, 3, day, 10, 0, tzinfo=dt.UTC), tick=False)
        client.force_login(committee_member)  # a session lasts 12 hours at most
        assert waited in client.get(url).content.decode()


def test_submitting_through_the_page(client, representative, committee, mailoutbox):
    make_application(representative)
    client.force_login(representative)
    for kind in ("statutes", "receipt"):
        upload = SimpleUploadedFile(f"{kind}.pdf", PDF_BYTES)
        client.post(reverse("members:add-document"), {"kind": kind, "file": upload})
    response = client.post(reverse("members:submit"), follow=True)
    assert "Votre demande est envoyée au comité de pilotage" in response.content.decode()
    assert Application.objects.get().status == "submitted"


def test_a_committee_member_votes_and_a_rejection_without_reason_is_refused(
    client, representative, committee
):
    application = make_application(representative, status="submitted")
    vote = reverse("members:vote", args=[application.pk])
    client.force_login(committee[0])
    response = client.post(vote, {"choice": "reject"}, follow=True)
    assert "Un rejet doit être motivé" in response.content.decode()
    assert not application.votes.exists()
    client.post(vote, {"choice": "approve", "comment": "OK"})
    assert application.votes.get().choice == "approve"


def test_a_representative_cannot_vote_on_their_own_application(client, representative, committee):
    application = make_application(representative, status="submitted")
    client.force_login(representative)
    response = client.post(reverse("members:vote", args=[application.pk]), {"choice": "approve"})
    assert response.status_code == 403
    assert not application.votes.exists()


def test_the_queue_shows_the_oldest_first_with_days_waiting(client, committee_member, time_machine):
    time_machine.move_to(dt.datetime(2024, 2, 20, 7, 30, tzinfo=dt.UTC), tick=False)
    make_application(make_user(), status="submitted", name="Première OSC")
    time_machine.move_to(dt.datetime(2025, 2, 28, 17, 0, tzinfo=dt.UTC), tick=False)
    make_application(make_user(), status="submitted", name="Deuxième OSC")
    time_machine.move_to(dt.datetime(2025, 3, 4, 8, 0, tzinfo=dt.UTC), tick=False)
    client.force_login(committee_member)
    html = client.get(reverse("members:queue")).content.decode()
    assert html.index("Première OSC") < html.index("Deuxième OSC")
    # 29 February 2024 counts; the second waited 3 days and 15 hours.
    assert re.search(r'<td class="num"[^>]*>378</td>', html)
    assert re.search(r'<td class="num"[^>]*>3</td>', html)


def test_the_queue_a_member_keeps_open_shows_each_change_at_once(
    client, committee_member, time_machine
):
    time_machine.move_to(dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC), tick=False)
    first = make_application(make_user(), status="submitted", name="Première OSC")
    client.force_login(committee_member)

    def votes_shown() -> str:
        html = client.get(reverse("members:queue")).content.decode()
        row = re.search(r"Première OSC.*?</tr>", html, re.S).group(0)
        return re.findall(r'<td class="num"[^>]*>(\d+)</td>', row)[-1]

    assert votes_shown() == "0"
    services.cast_vote(first, voter=make_user(role="committee"), choice="approve", comment="")
    assert votes_shown() == "1"
    Organisation.objects.filter(pk=first.organisation_id).update(name="Première OSC de Kayes")
    assert "Première OSC de Kayes" in client.get(reverse("members:queue")).content.decode()
    make_application(make_user(), status="submitted", name="Deuxième OSC")
    assert "Deuxième OSC" in client.get(reverse("members:queue")).content.decode()
    time_machine.move_to(dt.datetime(2025, 3, 5, 9, 0, tzinfo=dt.UTC), tick=False)
    client.force_login(committee_member)
    assert re.search(
        r'<td class="num"[^>]*>2</td>', client.get(reverse("members:queue")).content.decode()
    )


def make_members(count: int) -> None:
    start = Organisation.objects.count()
    for number in range(start, start + count):
        organisation = make_organisation(
            name=f"Membre {number}",
            acronym=f"M{number}",
            listed_in_directory=True,
            themes=["ssr", "peace"],
        )
        Organisation.objects.filter(pk=organisation.pk).update(membership_status="member")


def count_queries(client, url: str) -> int:
    return queries_drawn_afresh(client, url)[0]


def test_directory_queries_do_not_grow_with_the_members(client):
    make_members(10)
    with_ten = count_queries(client, reverse("members:directory"))
    make_members(490)
    assert count_queries(client, reverse("members:directory")) == with_ten
    assert count_queries(client, reverse("members:directory") + "?page=10") == with_ten


def test_queue_queries_do_not_grow_with_the_applications(client, committee_member):
    for _number in range(3):
        make_application(make_user(), status="submitted")
    client.force_login(committee_member)
    few = count_queries(client, reverse("members:queue"))
    for _number in range(12):
        make_application(make_user(), status="submitted")
    assert count_queries(client, reverse("members:queue")) == few


def test_the_directory_lists_opted_in_members_only_without_personal_data(client, representative):
    application = make_application(
        representative,
        status="submitted",
        name="Réseau Sévaré",
        region="mopti",
        listed_in_directory=True,
    )
    Organisation.objects.filter(pk=application.organisation.pk).update(membership_status="member")
    make_organisation(name="Caché", listed_in_directory=False)
    make_organisation(name="Candidat", listed_in_directory=True)  # not a member
    html = client.get(reverse("members:directory")).content.decode()
    assert "Réseau Sévaré" in html
    assert "Caché" not in html
    assert "Candidat" not in html
    assert representative.email not in html
    assert "Mariam" not in html


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("q=sevare", True),
        ("q=SÉVARÉ", True),
        ("region=mopti", True),
        ("region=kayes", False),
        ("theme=peace", True),
        ("theme=youth", False),
    ],
)
def test_the_directory_filters_ignoring_accents(client, query, found):
    organisation = make_organisation(
        name="Réseau Sévaré", region="mopti", listed_in_directory=True, themes=["peace"]
    )
    Organisation.objects.filter(pk=organisation.pk).update(membership_status="member")
    html = client.get(reverse("members:directory") + f"?{query}").content.decode()
    assert ("Réseau Sévaré" in html) is found


def test_home_counts_members_regions_and_workshops_held(client):
    from tests.workshops.factories import make_workshop

    make_workshop("Atelier de fondation", status="held")
    make_workshop("Forum à venir", status="planned")
    for number, region in enumerate(["mopti", "mopti", "gao"]):
        organisation = make_organisation(name=f"OSC {number}", region=region)
        Organisation.objects.filter(pk=organisation.pk).update(membership_status="member")
    make_organisation(name="Candidate", region="kayes")
    html = client.get(reverse("home")).content.decode()
    assert "<strong>3</strong> organisations membres" in html
    assert "<strong>2</strong> régions couvertes" in html
    assert "<strong>1</strong> atelier tenu" in html


def test_editing_in_french_keeps_the_registration_date(client, representative):
    make_application(representative, registration_date="2017-10-16")
    client.force_login(representative)
    html = client.get(reverse("members:edit")).content.decode()
    assert 'value="2017-10-16"' in html


def test_the_committee_cannot_open_a_draft_applications_documents(
    client, representative, committee_member, tmp_path
):
    application = make_application(representative)
    client.force_login(representative)
    client.post(
        reverse("members:add-document"),
        {"kind": "statutes", "file": SimpleUploadedFile("s.pdf", PDF_BYTES)},
    )
    document = application.organisation.documents.get()
    client.force_login(committee_member)
    assert client.get(reverse("members:document", args=[document.pk])).status_code == 404
