"""The report's chart, drawn on the server as inline SVG: no script, no chart library.

Each workshop gets two horizontal bars on the same scale: women / men /
unknown sex, then youth / older / unknown age. The page's per-workshop table
is the chart's text alternative.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

WIDTH = 320
BAR_WIDTH = 250
BAR_HEIGHT = 14
LABEL_HEIGHT = 18
GROUP_GAP = 12


def segments(parts: list[tuple[str, str, int]], scale: float) -> list[dict]:
    x = 0.0
    drawn = []
    for css, label, count in parts:
        width = count * scale
        if count:
            drawn.append(
                {"x": round(x, 1), "width": round(width, 1), "css": css, "label": label, "n": count}
            )
        x += width
    return drawn


def chart(rows: list[dict], max_age: int) -> dict:
    """Bars for every workshop row: geometry the template only has to copy."""
    largest = max((row["participants"] for row in rows), default=0) or 1
    scale = BAR_WIDTH / largest
    groups = []
    y = 0
    for row in rows:
        sex = [
            ("women", _("Women"), row["women"]),
            ("men", _("Men"), row["men"]),
            ("unknown", _("Sex unknown"), row["unknown_sex"]),
        ]
        age = [
            ("youth", _("%(age)s or younger") % {"age": max_age}, row["youth"]),
            ("older", _("%(age)s or older") % {"age": max_age + 1}, row["older"]),
            ("unknown", _("Age unknown"), row["unknown_age"]),
        ]
        bars = []
        for offset, parts in ((LABEL_HEIGHT, sex), (LABEL_HEIGHT + BAR_HEIGHT + 2, age)):
            drawn = segments(parts, scale)
            bars.append(
                {
                    "y": y + offset,
                    "segments": drawn,
                    "end": round(sum(part[2] for part in parts) * scale + 4, 1),
                    "text": " / ".join(str(part[2]) for part in parts),
                }
            )
        groups.append({"title": row["title"], "label_y": y + LABEL_HEIGHT - 4, "bars": bars})
        y += LABEL_HEIGHT + 2 * BAR_HEIGHT + 2 + GROUP_GAP
    return {"width": WIDTH, "height": max(y, 1), "groups": groups, "bar_height": BAR_HEIGHT}
