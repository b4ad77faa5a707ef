"""Small helpers every app uses, and no import of any app.

- How often something may happen and from which address (`ratelimit.py`, with its
  count in `models.py`); how text is matched (`text.py`); how phone numbers are
  cleaned (`phones.py`); numbers, sizes and punctuation in the reader's language
  (`words.py`).
- Files: how uploads are checked, stored and served (`uploads.py`), written whole or
  not at all (`storage.py`), and compared with the rows that point to them
  (`files.py`); CSV that French Excel opens (`spreadsheets.py`).
- Work done later: the job engine's retries, heartbeats and periodic tasks
  (`jobs.py`), e-mails owed by a change (`mail.py`, an `OutgoingEmail` row each) and
  sent by the worker (`delivery.py`), the tasks themselves (`tasks.py`).
- Pages and parts of pages kept in the shared cache, each under the version of the
  rows it shows (`caching.py`); the Redis client that falls back on the database
  (`rediscache.py`); one page of a list (`pagination.py`).
- The register of personal data, with what erasure does with each field
  (`personal_data.py`); the backups of the database and the uploaded files,
  written, restored and kept (`backups/`), sealed with a key (`sealing.py`).
- The admin's read-only mixin (`admin.py`); Django's SQLite backend told how many
  values one statement may carry (`sqlite/`)."""
