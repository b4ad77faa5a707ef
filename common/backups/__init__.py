"""Backups that restore: one archive holds a consistent snapshot of the database
and exactly the uploaded files that snapshot points to.

The archive is a tar stream, sealed with ACRSS_BACKUP_KEY when it is set
(common/sealing.py): `media/…` (each referenced file), `database.dump`
(pg_dump's custom format, without owners or privileges, so that it restores
under any role) or `database.sqlite3`, and last `manifest.json`: the rows of
every table and the SHA-256 of every member.

One module per concern, imported by name (`from common.backups.writing import
write_backup`): `archive.py` (the members, the manifest, the key, and reading an
archive back checked against its manifest), `database.py` (the engine,
PostgreSQL's client tools, the files the database points to and those left out,
its rows), `writing.py` (the snapshot and the archive written from it, whole or
not at all), `restoring.py` (a restore into an empty database, and the trial
restore of `restore --check`), `retention.py` (dated archives and which are kept).
"""
