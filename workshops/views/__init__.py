"""Workshop pages, one module per concern: `workshops.py` (the list, the public page,
the management page, details and outcomes), `attendance.py` (registration, roles,
presence, the sign-in sheet), `imports.py` (typed sheets), `people.py` (the register
of people and their data rights), `files.py` (documents and photos)."""
