"""Write the .xls and .ods saves of the one-tab-per-day sheet beside this file.

Run once, where LibreOffice is installed (`soffice`), after changing that shape:
    .venv/bin/python -m tests.workshops.sheets.make_fixtures
The saves are committed, so that the tests never need LibreOffice.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.workshops.sheets.shapes import HERE, tabs_per_day_merged


def main() -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed to write the fixtures.")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "sikasso.xlsx"
        source.write_bytes(tabs_per_day_merged())
        for extension in ("xls", "ods"):
            subprocess.run(
                [soffice, "--headless", "--convert-to", extension, "--outdir", folder, source],
                check=True,
                capture_output=True,
                timeout=120,
            )
            shutil.copy(Path(folder) / f"sikasso.{extension}", HERE / f"sikasso.{extension}")


if __name__ == "__main__":
    main()
