"""The register of organisations, and membership of the alliance.

- `models.py`: organisations (one register: members, applicants, other OSC,
  institutions, partners), their representatives, applications, votes and
  documents.
- `services.py`: every change (apply, submit, vote, decide, return, suspend,
  invite), each atomic, audited, and mailing through `emails.py` once
  committed.
- `permissions.py`: who may see or decide on an application, an organisation
  or a document (404 for those with no business with it).
- `history.py`: an application's timeline, read from the audit log.
"""
