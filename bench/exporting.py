"""An export measured as its reader gets it: total time, first byte, and the
growth of the web worker's memory; and PostgreSQL's own COPY of the same rows."""

from __future__ import annotations

import statistics
import subprocess
import threading
import time
from pathlib import Path

import psycopg


class PeakMemory:
    """The largest growth of a worker's resident memory during a block."""

    def __init__(self, workers: list[int]) -> None:
        self.workers = workers

    @staticmethod
    def read(pid: int, field_name: str) -> int:
        """A figure of /proc/<pid>/status in bytes; 0 once the worker is gone (a
        worker killed at gunicorn's timeout is replaced by a new one)."""
        try:
            lines = Path(f"/proc/{pid}/status").read_text().splitlines()
        except OSError:
            return 0
        for line in lines:
            if line.startswith(field_name + ":"):
                return int(line.split()[1]) * 1024
        return 0

    def __enter__(self) -> PeakMemory:
        self.before = {pid: self.read(pid, "VmRSS") for pid in self.workers}
        self.peaks = dict(self.before)
        try:  # reset the high-water mark: the kernel then keeps the exact peak
            for pid in self.workers:
                Path(f"/proc/{pid}/clear_refs").write_text("5")
            self.exact = True
        except OSError:
            self.exact = False
            self.stop = threading.Event()
            self.thread = threading.Thread(target=self.sample, daemon=True)
            self.thread.start()
        return self

    def sample(self) -> None:
        while not self.stop.is_set():
            for pid in self.workers:
                self.peaks[pid] = max(self.peaks[pid], self.read(pid, "VmRSS"))
            time.sleep(0.005)

    def __exit__(self, *exc) -> None:
        if self.exact:
            self.peaks = {pid: self.read(pid, "VmHWM") for pid in self.workers}
        else:
            self.stop.set()
            self.thread.join()
        self.growth = max(self.peaks[pid] - self.before[pid] for pid in self.workers)
        self.peak = max(self.peaks.values())


def copy_seconds(database_url: str, sql: str) -> float:
    """PostgreSQL's own COPY of the export's rows: median of 3."""
    runs = []
    with psycopg.connect(database_url) as connection:
        for _run in range(3):
            started = time.perf_counter()
            with connection.cursor() as cursor, cursor.copy(sql) as copy:
                for _block in copy:
                    pass
            runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def export(base: str, session: str, url: str, workers: list[int]) -> dict:
    command = ["curl", "-s", "-o", "/dev/null", "--max-time", "300", "-H"]
    command += [f"Cookie: sessionid={session}", "-w"]
    command += ["%{http_code} %{time_starttransfer} %{time_total} %{size_download}", base + url]
    with PeakMemory(workers) as memory:
        output = subprocess.run(command, capture_output=True, text=True).stdout.split()
    status, first_byte, total, size = output
    return {
        "status": int(status),
        "first_byte": float(first_byte),
        "total": float(total),
        "bytes": int(size),
        "memory": memory.growth,
        "peak": memory.peak,
    }
