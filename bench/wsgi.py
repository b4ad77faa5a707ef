"""The portal as production serves it, plus the bare view at /bench/ok/.

The settings are the portal's own, read from the environment; only
ROOT_URLCONF is swapped, in this process, before the first request. This keeps
a benchmark-only URL out of the portal's settings and serves the bare view from
the same workers, middleware and database connections as the pages it is
compared with.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acrss.settings")
settings.ROOT_URLCONF = "bench.urls"
application = get_wsgi_application()
