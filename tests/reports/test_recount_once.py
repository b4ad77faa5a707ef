"""Figures and pages missing from the cache are counted, or drawn, by one process
while the others wait."""

from __future__ import annotations

import threading
import time

from django.template import Context, Template
from django.test import override_settings

from common.caching import kept

LOCAL = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def two_workers_at_once(ask) -> list:
    """What ``ask`` answers in two threads started together, as two web workers."""
    answers = []
    workers = [threading.Thread(target=lambda: answers.append(ask())) for _worker in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return answers


@override_settings(CACHES=LOCAL)
def test_two_workers_asking_for_missing_figures_count_them_once():
    counted = []

    def count() -> dict:
        counted.append(threading.get_ident())
        time.sleep(0.3)  # a recount at scale: the other worker asks meanwhile
        return {"participants": 24}

    answers = two_workers_at_once(lambda: kept("figures:set", count, timeout=60))

    assert len(counted) == 1
    assert answers == [{"participants": 24}] * 2


@override_settings(CACHES=LOCAL)
def test_two_workers_asking_for_a_page_no_one_has_drawn_yet_draw_it_once():
    drawn = []

    class SlowFigures:
        """Figures whose drawing takes as long as a report's at scale."""

        @property
        def participants(self) -> int:
            drawn.append(threading.get_ident())
            time.sleep(0.3)
            return 24

    page = Template(
        '{% load kept %}{% kept 60 "report" version %}{{ figures.participants }}{% endkept %}'
    )
    context = {"figures": SlowFigures(), "version": "scope-0-1:1"}
    answers = two_workers_at_once(lambda: page.render(Context(context)))

    assert len(drawn) == 1
    assert answers == ["24", "24"]
