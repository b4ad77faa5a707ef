"""Small helpers every app uses, with no models of their own and no import of
any app: how text is matched (`text.py`), how phone numbers are cleaned
(`phones.py`), how uploaded files are checked, stored and served
(`uploads.py`), how e-mails are rendered and sent (`mail.py`), CSV that French
Excel opens (`spreadsheets.py`), the admin's read-only mixin (`admin.py`), and
the backup archive of the database and the uploaded files (`backups.py`)."""
