"""The soak's own tools: a form sent as a browser sends it, the local SMTP server,
and the count of writes against what the users were told."""

from __future__ import annotations

import smtplib
from collections import Counter

import pytest
from django.core.mail import EmailMessage, get_connection

from bench import smtp
from bench.client import forms_of
from bench.soak import compare

PAGE = """
<form method="post" action="/accounts/language/"><input name="language" value="en"></form>
<form method="post" action="">
  <input type="hidden" name="csrfmiddlewaretoken" value="token">
  <input name="title" value="Atelier">
  <input type="checkbox" name="public" value="1" checked>
  <input type="checkbox" name="archived" value="1">
  <input type="radio" name="choice" value="approve">
  <input type="radio" name="choice" value="abstain" checked>
  <input type="file" name="file">
  <input name="old" value="x" disabled>
  <select name="day"><option value="">--</option><option value="2026-12-03" selected>3</option>
  </select>
  <select name="kind"><option value="atelier">Atelier</option><option>forum</option></select>
  <textarea name="comment">
Dossier complet</textarea>
  <button type="submit" name="action" value="confirm">Confirm</button>
</form>
"""


def test_a_form_is_sent_with_the_values_it_came_with():
    language, form = forms_of(PAGE)

    assert language.action == "/accounts/language/"
    assert form.values(comment="Vu") == [
        ("csrfmiddlewaretoken", "token"),
        ("title", "Atelier"),
        ("public", "1"),
        ("choice", "abstain"),
        ("day", "2026-12-03"),
        ("kind", "atelier"),
        ("comment", "Vu"),
    ]
    assert form.buttons == [("action", "confirm")]
    assert form.radios == {"choice": ["approve", "abstain"]}


def test_the_local_smtp_server_keeps_what_the_portal_sends_once():
    with smtp.Server() as server:
        connection = get_connection(
            "django.core.mail.backends.smtp.EmailBackend",
            host="127.0.0.1",
            port=server.port,
            timeout=5,
        )
        connection.send_messages(
            [EmailMessage("Décision", "Votre demande est acceptée.", to=["b@example.org"])]
        )

    [received] = server.mailbox.snapshot()
    assert received.recipients == ["b@example.org"]
    assert received.subject == "Décision"
    assert "acceptée" in received.body


def test_a_hanging_smtp_server_leaves_the_sender_waiting_until_its_timeout():
    silent = pytest.raises(smtplib.SMTPServerDisconnected, match="timed out")
    with smtp.Server(hang=True) as server, silent:
        smtplib.SMTP("127.0.0.1", server.port, timeout=0.5)

    assert server.connections == 1


def counts(votes: int) -> dict:
    """Rows of two tables, and the audit log's entries (one per vote)."""
    tables = {"members_vote": votes, "accounts_user": 10}
    return {"tables": tables, "audit": {"application.voted": votes}}


@pytest.mark.parametrize(
    ("votes_after", "verdict"),
    [(3, "ok"), (4, "ok"), (2, "MISMATCH"), (5, "MISMATCH")],
    ids=["unanswered-not-written", "unanswered-written", "a-vote-lost", "a-vote-doubled"],
)
def test_a_write_whose_answer_never_came_may_or_may_not_be_there(votes_after, verdict):
    done = Counter({"votes": 3, "votes unanswered": 1})

    lines, ok = compare(counts(0), counts(votes_after), done, [])

    [line] = [line for line in lines if line.startswith("members_vote")]
    assert line.endswith(verdict)
    assert ok == (verdict == "ok")


def test_a_table_no_user_wrote_to_must_not_change():
    before, after = counts(0), counts(0)
    after["tables"]["accounts_user"] = 11

    lines, ok = compare(before, after, Counter(), [])

    assert "accounts_user: +1, expected +0  MISMATCH" in lines
    assert not ok
