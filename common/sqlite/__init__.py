"""Django's SQLite backend, told how many values one statement may carry (`base.py`)."""
