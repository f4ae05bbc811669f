#!/usr/bin/env python3
"""Build the CAMEO codebook and the PETRARCH2 verb lexicon that tidings ships.

Reads (from ``../shared/data`` by default, never at run time):

* ``cameo/cameo-codes.csv`` -- the CAMEO codebook (andybega/icews, MIT);
* ``cameo/CAMEO2PLOVER-2021.txt`` -- CAMEO -> PLOVER mapping (openeventdata/PLOVER, CC BY-SA 4.0);
* ``petrarch2-dictionaries/CAMEO.2.0.txt`` -- the PETRARCH2 verb dictionary (openeventdata/petrarch2, MIT).

Writes to ``src/tidings/data/``:

* ``cameo_codes.tsv`` -- one row per CAMEO code with Goldstein value, QuadClass and PLOVER category;
* ``verb_patterns.tsv`` -- one row per (verb lemma, pattern) with the CAMEO code and the source line;
* ``synsets.tsv`` -- the dictionary's noun synonym sets (``&MILITARY`` ...).

The outputs are committed; ``--check`` rebuilds in memory and fails if the committed files differ.

How the PETRARCH2 verb dictionary is read (see PETRARCH2 ``docs/source/dictionaries.rst`` and
``PETRreader.read_verb_dictionary``):

* ``&NAME`` followed by ``+WORD`` lines defines a synset (before ``####### VERB PATTERNS``). A label or
  phrase ending in ``_`` gets no generated plural; ``_`` inside a phrase is a space.
* ``---  NAME  [code]  ---`` opens a verb block; ``[---]`` means "the bare verb is no event".
* Each following non-pattern line is a verb of the block: ``WORD {irregular forms} [own code] # comment``;
  ``+GET_HOLD_OF`` is a multi-word verb whose ``+`` word is the verb proper.
* ``- PRE * POST [code] # origin verb`` is a pattern shared by every verb of the block: ``*`` is the
  verb, ``(...)`` a prepositional phrase, ``{...}`` a multi-word noun phrase, ``+`` / ``$`` mark the target
  / source, ``^`` skips a phrase, ``%`` marks a compound actor.
* ``[A:B]`` codes A for source->target and B for the reverse direction (visit 042 / host 043);
  ``[:B]`` codes only the reverse direction (``GAIN RECOGNITION (FROM) +`` -> the target recognises).
* As in PETRARCH2, a verb listed in several blocks belongs to the first; a repeated (verb, pattern)
  keeps its last code.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from tidings.datafiles import read_tsv_path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO.parent / "shared"
DEFAULT_OUT = REPO / "src" / "tidings" / "data"

CODES_CSV = Path("data/cameo/cameo-codes.csv")
PLOVER_TXT = Path("data/cameo/CAMEO2PLOVER-2021.txt")
VERBS_TXT = Path("data/petrarch2-dictionaries/CAMEO.2.0.txt")

NO_EVENT = "---"
ROLE_MARKERS = {"+", "$", "^", "%"}  # actor slots in PETRARCH patterns, not words


# --------------------------------------------------------------------------- codebook


def fix_mojibake(text: str) -> str:
    """Undo the codebook's double encoding: UTF-8 read as Mac Roman, saved as Windows-1252.

    ``’`` (UTF-8 E2 80 99) was read as Mac Roman ``‚Äô`` and then written as the cp1252 bytes 82 C4 F4;
    read as Latin-1 those are ``\\x82Äô``. Reverse each such triple; leave anything else alone.
    """

    def repair(match: re.Match[str]) -> str:
        try:
            return match.group(0).encode("latin-1").decode("cp1252").encode("mac_roman").decode("utf-8")
        except (UnicodeError, ValueError):
            return match.group(0)

    text = re.sub("\x82\u00c4[\u0080-\u00ff]", repair, text)
    return " ".join(text.split())


def quad_class(root: str) -> int:
    """CAMEO's standard QuadClass: 1 verbal coop (01-05), 2 material coop (06-08),
    3 verbal conflict (09-13), 4 material conflict (14-20)."""
    number = int(root)
    if 1 <= number <= 5:
        return 1
    if 6 <= number <= 8:
        return 2
    if 9 <= number <= 13:
        return 3
    if 14 <= number <= 20:
        return 4
    raise ValueError(f"not a CAMEO root: {root!r}")


def read_plover(path: Path) -> dict[str, tuple[str, str, str]]:
    """CAMEO code -> (PLOVER category, mode, context). First mapping of a code wins."""
    mapping: dict[str, tuple[str, str, str]] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        match = re.fullmatch(r"(\d{2,4}):\s*(.*)", line)
        if not match:
            continue
        code, rest = match.groups()
        parts = [" ".join(part.split()) for part in rest.split(",")]
        parts += [""] * (3 - len(parts))
        category, mode, context = parts[0], parts[1], ", ".join(p for p in parts[2:] if p)
        mapping.setdefault(code, (category, mode, context))
    return mapping


def read_plover_extra() -> list[tuple[str, str, str]]:
    """Curated (prefix, category, mode) rows for codes CAMEO2PLOVER leaves unmapped."""
    path = Path(__file__).resolve().parents[1] / "src" / "tidings" / "data" / "plover_extra.tsv"
    return [(row["prefix"], row["plover"], row.get("mode", "")) for row in read_tsv_path(path)]


def build_codes_tsv(shared: Path) -> str:
    text = (shared / CODES_CSV).read_bytes().decode("latin-1")
    plover = read_plover(shared / PLOVER_TXT)
    extra = read_plover_extra()
    out = io.StringIO()
    out.write(
        "# CAMEO event codes. Built by scripts/build_cameo.py from the CAMEO codebook (andybega/icews\n"
        "# data-raw/cameo-codes.csv, MIT) and CAMEO2PLOVER-2021.txt (openeventdata/PLOVER, CC BY-SA 4.0).\n"
        "# Do not edit by hand: edit the script and rebuild.\n"
        "# code: CAMEO code with leading zeros; name: short name; root: two-digit root code;\n"
        "# goldstein: Goldstein conflict-cooperation weight (-10..10); quad_class: 1 verbal cooperation\n"
        "# (roots 01-05), 2 material cooperation (06-08), 3 verbal conflict (09-13), 4 material conflict\n"
        "# (14-20); plover, plover_mode, plover_context: the PLOVER category, mode and context of the code\n"
        "# (from plover_extra.tsv where CAMEO2PLOVER gives none, e.g. root 02; empty for root 01).\n"
    )
    out.write("code\tname\troot\tgoldstein\tquad_class\tplover\tplover_mode\tplover_context\n")
    for row in csv.DictReader(io.StringIO(text)):
        code = row["code"].strip()
        root = row["root_code"].strip()
        name = fix_mojibake(row["name"])
        name = name[:1].upper() + name[1:]
        goldstein = float(row["goldstein"])
        category, mode, context = plover.get(code, ("", "", ""))
        if not category:
            for prefix, extra_category, extra_mode in extra:
                if code.startswith(prefix):
                    category, mode = extra_category, extra_mode
                    break
        out.write(
            "\t".join([code, name, root, f"{goldstein:g}", str(quad_class(root)), category, mode, context])
            + "\n"
        )
    return out.getvalue()


def codes_in(codes_tsv: str) -> set[str]:
    return {
        line.split("\t", 1)[0]
        for line in codes_tsv.splitlines()[1:]
        if line and not line.startswith("#") and not line.startswith("code\t")
    }


# --------------------------------------------------------------------------- verb dictionary


@dataclass
class Block:
    name: str
    code: str
    line: int
    verbs: list[tuple[str, str | None, int]] = field(default_factory=list)  # lemma, own code, line
    patterns: list[tuple[list[str], list[str], str, int, str]] = field(default_factory=list)


@dataclass
class VerbDictionary:
    synsets: dict[str, list[str]]
    blocks: list[Block]
    problems: list[str]


def normalise_phrase(phrase: str) -> str:
    return " ".join(phrase.replace("_", " ").lower().split())


def plural(phrase: str) -> str | None:
    """Regular English plural of a phrase's last word; None for words that already end in s."""
    if phrase.endswith("s"):
        return None
    if re.search(r"[^aeiou]y$", phrase):
        return phrase[:-1] + "ies"
    if re.search(r"(x|z|ch|sh)$", phrase):
        return phrase + "es"
    return phrase + "s"


def strip_comment(line: str) -> str:
    return re.split(r"[#;]", line, maxsplit=1)[0].rstrip()


def parse_code(raw: str) -> str:
    """Keep digits, ':' and the null code; PETRARCH's file has strays such as ``[080!]``."""
    raw = raw.strip()
    if raw == NO_EVENT:
        return raw
    return re.sub(r"[^0-9:]", "", raw)


def pattern_words(tokens: Iterable[str]) -> list[str]:
    """Flatten PETRARCH's ``(...)`` and ``{...}`` groups into plain lowercase words; drop actor markers."""
    words: list[str] = []
    for token in tokens:
        token = token.strip("(){}")
        if not token or token in ROLE_MARKERS:
            continue
        if token.startswith("&"):
            words.append("&" + token[1:].rstrip("_").lower())
        else:
            words.extend(normalise_phrase(token).split())
    return words


def verb_lemma(token: str) -> str:
    """``ASK`` -> ``ask``; ``+GET_HOLD_OF`` -> ``get hold of``; ``RE_+ARREST`` -> ``re arrest``."""
    return normalise_phrase(token.replace("+", ""))


def read_verb_dictionary(path: Path) -> VerbDictionary:
    synsets: dict[str, list[str]] = {}
    blocks: list[Block] = []
    problems: list[str] = []
    in_patterns = False
    synset_name: str | None = None
    synset_plural = True

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("####### VERB PATTERNS"):
            in_patterns = True
            continue
        if stripped.startswith("########") and "TRANSFORMATIONS" in stripped:
            break
        if not stripped or stripped.startswith("#") or stripped.startswith("<!"):
            continue
        if not in_patterns:
            line = strip_comment(stripped)
            if line.startswith("&"):
                synset_plural = not line.endswith("_")
                synset_name = line[1:].rstrip("_").lower()
                synsets.setdefault(synset_name, [])
            elif line.startswith("+") and synset_name is not None:
                item = line[1:].strip()
                phrase = normalise_phrase(item)
                words = synsets[synset_name]
                if phrase and phrase not in words:
                    words.append(phrase)
                extra = plural(phrase) if synset_plural and not item.endswith("_") and phrase else None
                if extra and extra not in words:
                    words.append(extra)
            continue

        if stripped.startswith("---"):
            match = re.match(r"---\s+(\S+)\s+\[([^\]]*)\]", stripped)
            if not match:
                problems.append(f"{number}: unreadable block header")
                continue
            blocks.append(Block(match.group(1), parse_code(match.group(2)), number))
            continue
        if not blocks:
            problems.append(f"{number}: line before the first verb block")
            continue
        block = blocks[-1]
        line = strip_comment(stripped)
        if stripped.startswith("-"):
            match = re.fullmatch(r"-(.*?)\s*(\S*?)\[([^\]]*)\]\s*", line)
            if not match or "*" not in match.group(1):
                problems.append(f"{number}: unreadable pattern")
                continue
            body, glued, raw_code = match.groups()
            if glued:
                problems.append(f"{number}: dropped {glued!r} glued to the code")
            code = parse_code(raw_code)
            if code != raw_code.strip():
                problems.append(f"{number}: code [{raw_code}] read as [{code}]")
            before, _, after = body.partition("*")
            block.patterns.append(
                (pattern_words(before.split()), pattern_words(after.split()), code, number, " ".join(body.split()))
            )
            continue
        if not line:
            continue
        tokens = re.sub(r"\{[^}]*\}", " ", line).replace("[", " [").split()
        own_code = None
        if tokens and tokens[-1].startswith("["):
            own_code = parse_code(tokens.pop().strip("[]"))
        if len(tokens) != 1:
            problems.append(f"{number}: unreadable verb line")
            continue
        block.verbs.append((verb_lemma(tokens[0]), own_code, number))
    return VerbDictionary(synsets, blocks, problems)


def split_code(code: str) -> tuple[str, str, bool]:
    """``042:043`` -> (``042``, ``043``, False); ``:173`` -> (``173``, ``""``, True); ``---`` stays."""
    if ":" not in code:
        return code, "", False
    forward, _, backward = code.partition(":")
    if not forward:
        return backward, "", True
    return forward, backward, False


def known_code(code: str, codes: set[str]) -> str | None:
    """The code itself, or its nearest parent present in the codebook (``1952`` -> ``195``)."""
    if code == NO_EVENT:
        return code
    candidate = code
    while len(candidate) >= 2:
        if candidate in codes:
            return candidate
        candidate = candidate[:-1]
    return None


def build_verb_tables(shared: Path, codes: set[str]) -> tuple[str, str, list[str]]:
    vdict = read_verb_dictionary(shared / VERBS_TXT)
    problems = list(vdict.problems)
    source = VERBS_TXT.name

    # verb lemma -> rows keyed by (before, after): a later pattern replaces an earlier one (PETRARCH2).
    rows: dict[str, dict[tuple[tuple[str, ...], tuple[str, ...]], list[str]]] = {}
    owner: dict[str, str] = {}

    def checked(code: str, number: int) -> str | None:
        if not code:
            problems.append(f"{number}: empty code")
            return None
        resolved = known_code(code, codes)
        if resolved is None:
            problems.append(f"{number}: unknown code {code}")
        elif resolved != code:
            problems.append(f"{number}: code {code} is not in the codebook; using parent {resolved}")
        return resolved

    for block in vdict.blocks:
        usable_patterns = []
        for before, after, code, number, text in block.patterns:
            missing = [w for w in before + after if w.startswith("&") and w[1:] not in vdict.synsets]
            if missing:
                problems.append(f"{number}: undefined synset {missing[0]}; pattern skipped")
                continue
            usable_patterns.append((before, after, code, number, text))
        for lemma, own_code, verb_line in block.verbs:
            if lemma in owner:
                if owner[lemma] != block.name:
                    problems.append(f"{verb_line}: {lemma!r} already belongs to block {owner[lemma]}; ignored")
                continue
            owner[lemma] = block.name
            table = rows.setdefault(lemma, {})
            default = own_code or block.code
            default_line = verb_line if own_code else block.line
            entries = [((), (), default, default_line, "*")] if default != NO_EVENT else []
            entries += [(tuple(b), tuple(a), c, n, t) for b, a, c, n, t in usable_patterns]
            for before, after, raw_code, number, text in entries:
                code, paired, reverse = split_code(raw_code)
                code = checked(code, number)
                paired = checked(paired, number) if paired else ""
                if code is None or paired is None:
                    continue
                table[(before, after)] = [
                    lemma, " ".join(before), " ".join(after), code, paired, "1" if reverse else "0",
                    f"{source}:{number}", text,
                ]

    out = io.StringIO()
    out.write(
        "# Verb patterns for CAMEO event coding. Built by scripts/build_cameo.py from the PETRARCH2 verb\n"
        "# dictionary CAMEO.2.0.txt (openeventdata/petrarch2, MIT). Do not edit by hand.\n"
        "# verb: lowercase lemma (multi-word verbs space-separated, e.g. 'ask for');\n"
        "# before / after: words required before / after the verb within its clause, lowercase, in order,\n"
        "#   PETRARCH's (prepositional) and {noun} groups flattened; '&name' is a synset (synsets.tsv);\n"
        "#   both empty = the verb's default code;\n"
        "# code: CAMEO code, or '---' = this verb with these words is NOT an event (blocks the default);\n"
        "# paired: code of a second event in the reverse direction (target -> source), e.g. visit 042 / 043;\n"
        "# reverse: 1 = the only event goes target -> source (PETRARCH '[:code]');\n"
        "# entry: source line in CAMEO.2.0.txt; pattern: the PETRARCH pattern as written\n"
        "#   ('+' target, '$' source, '^' skip, '%' compound actor).\n"
    )
    out.write("verb\tbefore\tafter\tcode\tpaired\treverse\tentry\tpattern\n")
    for lemma in sorted(rows):
        ordered = sorted(
            rows[lemma].values(),
            key=lambda r: (-(len(r[1].split()) + len(r[2].split())), int(r[6].rsplit(":", 1)[1])),
        )
        for row in ordered:
            out.write("\t".join(row) + "\n")

    syn = io.StringIO()
    syn.write(
        "# Noun synonym sets used by verb_patterns.tsv ('&name'). Built by scripts/build_cameo.py from\n"
        "# CAMEO.2.0.txt (openeventdata/petrarch2, MIT). Do not edit by hand.\n"
        "# name: synset name (lowercase, no '&'); words: lowercase words or phrases separated by '|',\n"
        "#   regular plurals added as PETRARCH does (not for sets or phrases marked '_' there).\n"
    )
    syn.write("name\twords\n")
    for name in sorted(vdict.synsets):
        syn.write(f"{name}\t{'|'.join(vdict.synsets[name])}\n")
    return out.getvalue(), syn.getvalue(), problems


# --------------------------------------------------------------------------- entry point


def build(shared: Path) -> tuple[dict[str, str], list[str]]:
    """All built files (name -> content) and the problems met in the sources."""
    codes_tsv = build_codes_tsv(shared)
    verbs_tsv, synsets_tsv, problems = build_verb_tables(shared, codes_in(codes_tsv))
    return {"cameo_codes.tsv": codes_tsv, "verb_patterns.tsv": verbs_tsv, "synsets.tsv": synsets_tsv}, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared reference folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the built files")
    parser.add_argument("--check", action="store_true", help="fail if the committed files are out of date")
    parser.add_argument("--verbose", action="store_true", help="list the problems met in the sources")
    args = parser.parse_args(argv)

    try:
        files, problems = build(args.shared)
    except OSError as error:
        print(f"build_cameo: cannot read the sources: {error}", file=sys.stderr)
        return 2
    if args.verbose:
        for problem in problems:
            print(f"  {VERBS_TXT.name}:{problem}", file=sys.stderr)
    stale = []
    for name, content in files.items():
        target = args.out / name
        if args.check:
            if not target.exists() or target.read_text(encoding="utf-8") != content:
                stale.append(name)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
        print(f"wrote {target} ({content.count(chr(10))} lines)")
    print(f"{len(problems)} problems in the sources (--verbose lists them)", file=sys.stderr)
    if stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
