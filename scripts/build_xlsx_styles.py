"""Write the default ``styles.xlsx`` into every template folder that has none (or all, --force).

A bureau then restyles the sheet ``样式`` in Excel/WPS: see perfeval_desktop/export/xlsx.py.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from perfeval_desktop.export.xlsx import STYLE_FILE, write_style_file

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--force", action="store_true", help="overwrite existing styles.xlsx")
    args = parser.parse_args()
    for manifest in sorted((ROOT / "templates").glob("*/manifest.yaml")):
        target = manifest.parent / STYLE_FILE
        if (manifest.parent / "forms.xlsx").exists():  # its forms are drawn in forms.xlsx
            continue
        if target.exists() and not args.force:
            continue
        write_style_file(target)
        print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
