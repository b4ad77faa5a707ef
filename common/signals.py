"""What lower apps announce and higher apps act on, so that imports run one way:
the services of members, workshops and check-in say that data a report counts
has changed; the reports app, above them, listens."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction of every write a report counts (workshops, people,
# attendance, presence, organisations), so that cached figures stop being read.
counted_data_changed = Signal()


def announce_counted_data_changed() -> None:
    counted_data_changed.send(sender=None)
