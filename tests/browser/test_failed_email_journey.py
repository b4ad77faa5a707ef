"""J2 while the mail server refuses: the committee's vote is taken and shown as usual;
the decision's e-mail is tried until the worker gives up, then the secretariat
sends it again from its page, and the applicant receives it once. On a phone, in
French and in English."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from common.jobs import Job
from common.models import OutgoingEmail
from tests.browser.helpers import log_in, log_out, open_menu
from tests.factories import make_application, make_user
from tests.tasks import ON_THE_DATABASE, refuse_mail, run_worker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

WORDS = {
    "fr": {
        "applications": "Demandes d'adhésion",
        "approve": "Approuver",
        "vote": "Voter",
        "approved": "Approuvée",
        "not_sent": "E-mails non envoyés",
        "send_again": "Envoyer de nouveau",
        "sending": "est en cours de nouvel envoi",
    },
    "en": {
        "applications": "Applications",
        "approve": "Approve",
        "vote": "Vote",
        "approved": "Approved",
        "not_sent": "E-mails not sent",
        "send_again": "Send again",
        "sending": "is being sent again",
    },
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_decision_e_mail_refused_by_the_mail_server_is_sent_again_once(
    live_server, page, settings, screenshot, language
):
    words = WORDS[language]
    settings.TASKS = ON_THE_DATABASE
    settings.ACRSS_APPROVAL_QUORUM = 1
    refuse_mail(settings)
    applicant = make_user("awa@example.org", language=language)
    application = make_application(applicant, status="submitted")
    make_user("comite@example.org", role="committee")
    make_user("secretariat@example.org", role="secretariat")

    log_in(page, live_server.url, "comite@example.org", language=language)
    page.locator("nav").get_by_role("link", name=words["applications"]).click()
    page.get_by_role("link", name=application.organisation.name).click()
    page.get_by_label(words["approve"]).check()
    page.get_by_role("button", name=words["vote"], exact=True).click()
    expect(page.locator("main")).to_contain_text(words["approved"])
    log_out(page, language=language)

    # Five tries, the mail server refusing each (the waits between them skipped).
    for _try in range(5):
        Job.objects.filter(status="READY").update(run_after=timezone.now())
        run_worker()
    owed = OutgoingEmail.objects.get(kind="application_decided")
    assert (owed.tries, owed.sent_at) == (5, None)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    log_in(page, live_server.url, "secretariat@example.org", language=language)
    open_menu(page)
    page.locator("nav").get_by_role("link", name=words["not_sent"]).click()
    # The receipt of the application failed too; the decision is sent first.
    row = page.locator("tr", has_text=owed.subject)
    expect(row).to_contain_text("awa@example.org")
    screenshot(f"j2-emails-not-sent-{language}")
    row.get_by_role("button", name=words["send_again"]).click()
    expect(page.locator("main")).to_contain_text(words["sending"])
    expect(page.locator("tr", has_text=owed.subject)).to_have_count(0)
    screenshot(f"j2-email-sent-again-{language}")

    run_worker()
    assert [(m.to, m.subject) for m in mail.outbox] == [(["awa@example.org"], owed.subject)]
