"""Everything that changes workshops, the people at them, presence and outcomes.

One module per concern, imported by name (`from workshops.services.people import
merge_people`): `workshops.py` (workshops and outcomes), `people.py` (the register
of people, merges), `attendance.py` (registrations, roles, presence), `files.py`
(documents and photos), `imports.py` (typed sign-in sheets), `privacy.py` (a
person's data rights, erasure, retention), `errors.py` (what they refuse).
"""
