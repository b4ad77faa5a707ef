"""Workshops and the people at them.

- `models/`: projects, workshops, people, attendance, daily presence,
  outcomes, documents and photos (`files.py` says once how each kind of file is
  kept), and imports of typed sign-in sheets, one module per concern.
- `services/`: every change, including people corrected, merged or erased,
  one module per concern, the same as the models'.
- `views/`: the pages, one module per concern.
- `importing/`: reads a sheet and plans its import without writing;
  `normalise.py` reads the values people type (sexes, ages, dates, presence).
- `permissions.py`: the secretariat manages; everyone else sees only public
  workshops, never an attendee.
"""
