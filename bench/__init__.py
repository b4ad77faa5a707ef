"""`make bench`: the portal measured at scale against its own ceilings.

`dataset` builds the data set, `inprocess` measures what needs Django in the
same process (query counts, PostgreSQL's own time, `COPY`), `run` serves the
portal under gunicorn and measures it from outside (wrk, curl, Chromium).
"""
