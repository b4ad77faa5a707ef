"""Attendance reports for partners and the secretariat.

`queries.py` counts (in the database, with its counting rules written where
they are computed), `chart.py` draws, `exports.py` writes XLSX and CSV,
`permissions.py` scopes a partner to the workshops its organisation funds.
"""
