"""Small helpers every app uses, with one model (a limit's count, `models.py`) and
no import of any app: how often something may happen and from which address
(`ratelimit.py`), how text is matched (`text.py`), how phone numbers are cleaned
(`phones.py`), how uploaded files are checked, stored and served
(`uploads.py`), how e-mails are rendered and sent (`mail.py`), CSV that French
Excel opens (`spreadsheets.py`), the admin's read-only mixin (`admin.py`), the
backups of the database and the uploaded files, written, restored and kept
(`backups/`), Django's SQLite backend told how many values one statement may
carry (`sqlite/`), pages and parts of pages kept in the shared cache, each under
the version of the rows it shows (`caching.py`), one page of a list
(`pagination.py`), the Redis client (`rediscache.py`) that falls back on the
database, the register of personal data, with what erasure does with each field
(`personal_data.py`), and numbers, sizes and punctuation in the reader's language
(`words.py`)."""
