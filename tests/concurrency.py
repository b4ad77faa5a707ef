"""Calls made at the same instant, each on its own database connection."""

from __future__ import annotations

import threading

from django.db import connections


def at_once(*calls) -> list[object]:
    """Run each call from its own thread and connection, released together; each
    result is what that call returned, or the error it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # what each caller saw, error or result
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results
