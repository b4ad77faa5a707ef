"""Attendance reports for partners and the secretariat.

`queries.py` counts (in the database, with its counting rules written where
they are computed), `chart.py` draws, `exports.py` writes XLSX and CSV,
`permissions.py` scopes a partner to the workshops its organisation funds.
The `load_demo` command gathers every app's demo data: this app is at the top
of the chain of imports.
"""
