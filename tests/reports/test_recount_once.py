"""Figures missing from the cache are counted by one process while the others wait."""

from __future__ import annotations

import threading
import time

from django.test import override_settings

from reports.cache import kept

LOCAL = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@override_settings(CACHES=LOCAL)
def test_two_workers_asking_for_missing_figures_count_them_once():
    counted = []

    def count() -> dict:
        counted.append(threading.get_ident())
        time.sleep(0.3)  # a recount at scale: the other worker asks meanwhile
        return {"participants": 24}

    answers = []
    workers = [
        threading.Thread(target=lambda: answers.append(kept("figures:set", count)))
        for _worker in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert len(counted) == 1
    assert answers == [{"participants": 24}] * 2
