"""The day of a workshop: check-in at the door, self check-in, certificates.

`services.py` ticks presence, adds walk-ins and confirms, merges or rejects the
self check-ins that participants send through the day's QR code (`links.py`);
nothing counts in a report until confirmed. `certificates.py` draws the
certificates of participation (PDF).
"""
