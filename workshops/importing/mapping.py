"""The reading of a sheet as the secretariat corrects it on the preview: which field
each column holds, which day each tab records, the role of each table, the rows left
out or taken in by hand, and the matches with known people they accept.

Kept as JSON on the pending import, so that what is confirmed is what was shown."""

from __future__ import annotations

from dataclasses import dataclass, field

ALL_DAYS = "all"
NOT_READ = "skip"


@dataclass
class Mapping:
    tabs: dict[int, str] = field(default_factory=dict)  # tab -> ISO day, ALL_DAYS, "", NOT_READ
    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # table -> column -> field
    roles: dict[str, str] = field(default_factory=dict)  # table -> role
    excluded: set[int] = field(default_factory=set)  # line ids left out by hand
    included: set[int] = field(default_factory=set)  # skipped line ids taken in by hand
    same: set[int] = field(default_factory=set)  # line ids whose proposed match is accepted

    def as_json(self) -> dict:
        return {
            "tabs": {str(k): v for k, v in self.tabs.items()},
            "columns": self.columns,
            "roles": self.roles,
            "excluded": sorted(self.excluded),
            "included": sorted(self.included),
            "same": sorted(self.same),
        }

    @classmethod
    def from_json(cls, data: dict | None) -> Mapping:
        data = data or {}
        return cls(
            tabs={int(k): str(v) for k, v in (data.get("tabs") or {}).items()},
            columns={
                str(table): {str(c): str(f) for c, f in columns.items()}
                for table, columns in (data.get("columns") or {}).items()
            },
            roles={str(k): str(v) for k, v in (data.get("roles") or {}).items()},
            excluded={int(x) for x in data.get("excluded") or ()},
            included={int(x) for x in data.get("included") or ()},
            same={int(x) for x in data.get("same") or ()},
        )
