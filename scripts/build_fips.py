#!/usr/bin/env python3
"""Build ``src/tidings/data/iso3_fips.tsv``: ISO 3166-1 alpha-3 country codes mapped to FIPS 10-4 codes.

GDELT's geographic columns (``*Geo_CountryCode``, ``*Geo_ADM1Code``) use FIPS 10-4 codes, while tidings
records countries as ISO alpha-3; the GDELT export translates with this table. Read from CountryInfo
(``../shared/data/countryinfo/CountryInfo.120116.txt``, openeventdata/CountryInfo, CC BY-SA 3.0), never at
run time. The output is committed; ``--check`` rebuilds in memory and fails if the committed file differs.

Usage: ``python scripts/build_fips.py [--shared PATH] [--check]``
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCE = Path("data/countryinfo/CountryInfo.120116.txt")
OUTPUT = REPO / "src" / "tidings" / "data" / "iso3_fips.tsv"
HEADER = """\
# ISO 3166-1 alpha-3 -> FIPS 10-4 country codes, for the GDELT export's geographic columns.
# Built by scripts/build_fips.py from CountryInfo.120116.txt (openeventdata/CountryInfo, CC BY-SA 3.0,
# Philip Schrodt / Open Event Data Alliance). Do not edit by hand: edit the script and rebuild.
# iso3: ISO alpha-3 code (CountryInfo <ISO3166-alpha3>, else <CountryCode>); fips: FIPS 10-4 code;
# name: CountryInfo's country name. Countries without a FIPS code ("--") are left out.
iso3\tfips\tname
"""


def _field(block: str, tag: str) -> str:
    match = re.search(rf"<{re.escape(tag)}>\s*([^<\n]*?)\s*</{re.escape(tag)}>", block)
    return match.group(1).strip() if match else ""


def build(countryinfo: Path) -> str:
    """The TSV text: one row per country that has both an alpha-3 and a FIPS code, sorted by iso3."""
    text = countryinfo.read_bytes().decode("latin-1")
    rows: dict[str, tuple[str, str]] = {}
    # Country blocks only: the documentation above them names the tags without closing ones.
    for block in re.findall(r"<Country>\s*\n(.*?)</Country>", text, flags=re.S):
        iso3 = _field(block, "ISO3166-alpha3")
        if not re.fullmatch(r"[A-Z]{3}", iso3):
            iso3 = _field(block, "CountryCode")
        fips = _field(block, "FIPS-10")
        if re.fullmatch(r"[A-Z]{3}", iso3) and re.fullmatch(r"[A-Z0-9]{2}", fips):
            rows.setdefault(iso3, (fips, _field(block, "CountryName").replace("_", " ").title()))
    lines = [f"{iso3}\t{fips}\t{name}\n" for iso3, (fips, name) in sorted(rows.items())]
    return HEADER + "".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the reference data folder")
    parser.add_argument("--check", action="store_true", help="fail if the committed file is out of date")
    args = parser.parse_args()
    source = args.shared / SOURCE
    if not source.exists():
        print(f"error: {source} not found", file=sys.stderr)
        return 2
    text = build(source)
    if args.check:
        if OUTPUT.read_text(encoding="utf-8") != text:
            print(f"error: {OUTPUT} is out of date; run scripts/build_fips.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT} ({text.count(chr(10)) - HEADER.count(chr(10))} countries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
