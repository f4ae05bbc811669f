"""The CAMEO codebook and the event lexicons (verb patterns, synsets, event nouns, light verbs)."""

from __future__ import annotations

import csv
import importlib.util
import io
import re
import sys
from pathlib import Path

import pytest

from conftest import REPO, SHARED, need_shared
from tidings.datafiles import DATA, read_tsv
from tidings.events.cameo import NO_EVENT, codebook, is_code, lookup
from tidings.events.lexicon import (
    INHERIT,
    known_nouns,
    known_verbs,
    light_verbs,
    noun_triggers,
    synset,
    verb_patterns,
)

CODES_CSV = SHARED / "data" / "cameo" / "cameo-codes.csv"


def load_build_script():
    spec = importlib.util.spec_from_file_location("build_cameo", REPO / "scripts" / "build_cameo.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- codebook


def test_codebook_has_the_full_cameo_code_set():
    book = codebook()
    assert 300 <= len(book) <= 330
    assert all(re.fullmatch(r"\d{2,4}", code) for code in book)
    assert {"01", "010", "042", "0871", "190", "2042"} <= set(book)


@pytest.mark.parametrize(
    ("code", "goldstein", "quad", "plover"),
    [
        ("010", 0.0, 1, None),
        ("042", 1.9, 1, "CONSULT"),
        ("057", 8.0, 1, "SUPPORT"),
        ("072", 8.3, 2, "AID"),
        ("0871", 9.0, 2, "RETREAT"),
        ("112", -2.0, 3, "ACCUSE"),
        ("138", -7.0, 3, "THREATEN"),
        ("163", -8.0, 4, "COERCE"),
        ("190", -10.0, 4, "ASSAULT"),
        ("1823", -10.0, 4, "ASSAULT"),
    ],
)
def test_known_codes(code, goldstein, quad, plover):
    entry = codebook()[code]
    assert entry.goldstein == goldstein
    assert entry.quad_class == quad
    assert entry.plover == plover
    assert entry.root == code[:2]


def test_visit_is_consult_visit_in_plover():
    assert lookup("042").plover == "CONSULT"
    assert lookup("042").plover_mode == "visit"
    assert lookup("042").name == "Make a visit"


def test_names_are_clean_text():
    for entry in codebook().values():
        assert entry.name and entry.name[0].isupper(), entry
        assert not re.search(r"[\x80-\x9f]|Ä", entry.name), entry.name


def test_codebook_matches_the_source_csv():
    """Every Goldstein value and QuadClass agrees with the icews CSV (standard QuadClass by root)."""
    text = need_shared(CODES_CSV).read_bytes().decode("latin-1")
    rows = list(csv.DictReader(io.StringIO(text)))
    book = codebook()
    assert len(rows) == len(book)
    expected_quad = {**{r: 1 for r in range(1, 6)}, **{r: 2 for r in range(6, 9)},
                     **{r: 3 for r in range(9, 14)}, **{r: 4 for r in range(14, 21)}}
    for row in rows:
        entry = book[row["code"]]
        assert entry.goldstein == float(row["goldstein"]), row["code"]
        assert entry.quad_class == expected_quad[int(row["root_code"])], row["code"]


def test_lookup_falls_back_to_the_nearest_parent():
    assert lookup("0431").code == "043"
    assert lookup("1952").code == "195"
    assert lookup("049").code == "04"
    assert lookup(" 042 ").code == "042"
    assert is_code("042") and not is_code("0431")


@pytest.mark.parametrize("junk", ["", "abc", "4", "99", "9999", "04a", "12345", None, 42])
def test_lookup_rejects_junk(junk):
    with pytest.raises(KeyError):
        lookup(junk)


def test_quad_class_boundaries_in_the_build_script():
    build = load_build_script()
    assert [build.quad_class(r) for r in ("01", "05", "06", "08", "09", "13", "14", "20")] == [1, 1, 2, 2, 3, 3, 4, 4]
    with pytest.raises(ValueError):
        build.quad_class("21")


def test_mojibake_repair():
    build = load_build_script()
    assert build.fix_mojibake("Moscow\x82Äôs  will") == "Moscow\u2019s will"
    assert build.fix_mojibake("plain text") == "plain text"


# --------------------------------------------------------------------------- verb patterns


def test_visit_patterns():
    patterns = verb_patterns("visit")
    default = [p for p in patterns if not p.before and not p.after]
    assert len(default) == 1
    assert (default[0].code, default[0].paired) == ("042", "043")
    assert default[0].entry.startswith("CAMEO.2.0.txt:")
    talks = [p for p in patterns if p.after == ("for", "talks")]
    assert talks and talks[0].code == "046"
    assert any(p.code == NO_EVENT and p.before == ("pilgrims",) for p in patterns)
    assert patterns[-1] is default[0], "the default pattern (no words) must come last"
    sizes = [p.specificity for p in patterns]
    assert sizes == sorted(sizes, reverse=True)


def test_block_synonyms_share_the_block_patterns():
    # PETRARCH2 block ASK lists REQUEST and PETITION with their own code [020].
    for verb in ("ask", "request"):
        patterns = verb_patterns(verb)
        assert any(not p.before and not p.after and p.code == "020" for p in patterns), verb
        assert any(p.after == ("extradition",) for p in patterns), verb


def test_multiword_verbs_and_reverse_codes():
    assert "ask for" in known_verbs()
    assert any(p.code == "020" for p in verb_patterns("ask for"))
    # "[:054]": gaining recognition from X means X recognises the source.
    reverse = [p for p in verb_patterns("gain") if p.reverse]
    assert reverse and all(p.paired is None for p in reverse)


def test_curated_overrides_win_over_petrarch():
    default = [p for p in verb_patterns("negotiate") if not p.before and not p.after]
    assert len(default) == 1 and default[0].code == "046"
    assert default[0].entry.startswith("verb_overrides.tsv:")
    assert verb_patterns("urge")[-1].code == "020"


def test_every_pattern_code_and_synset_resolves():
    codes = set(codebook()) | {NO_EVENT}
    seen_synsets = set()
    header = None
    with (DATA / "verb_patterns.tsv").open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            cells = line.rstrip("\n").split("\t")
            if header is None:
                header = cells
                continue
            assert cells[3] in codes, cells
            assert not cells[4] or cells[4] in codes, cells
            assert re.fullmatch(r"CAMEO\.2\.0\.txt:\d+", cells[6]), cells
            seen_synsets.update(w for w in (cells[1] + " " + cells[2]).split() if w.startswith("&"))
    assert header == ["verb", "before", "after", "code", "paired", "reverse", "entry", "pattern"]
    assert {"&military", "&weapon", "&treaty"} <= seen_synsets
    for name in seen_synsets:
        assert synset(name), f"synset {name} is used but undefined"
    for row in read_tsv("verb_overrides.tsv"):
        assert row["code"] in codes and (not row["paired"] or row["paired"] in codes), row


def test_synsets():
    assert {"troops", "army", "soldiers"} <= synset("military")
    assert synset("&MILITARY") == synset("military")
    assert "ceasefire" in synset("&ceasefire")
    assert synset("no-such-synset") == frozenset()


# --------------------------------------------------------------------------- nouns and light verbs


def test_every_curated_code_exists():
    book = codebook()
    nouns = read_tsv("event_nouns.tsv")
    assert len(nouns) >= 120
    for row in nouns:
        assert row["code"] in book, row
        assert row["source"], row
    lights = read_tsv("light_verbs.tsv")
    assert len(lights) >= 60
    for row in lights:
        assert row["code"] == INHERIT or row["code"] in book, row
        assert row["when"] in ("", "future"), row
        assert row["object_words"], row


def test_curated_synset_references_resolve():
    for name, column in (("event_nouns.tsv", "requires"), ("light_verbs.tsv", "object_words")):
        for row in read_tsv(name):
            for item in row[column].split("|"):
                if item.startswith("&"):
                    assert synset(item), (name, row)


def test_inherited_light_verb_objects_name_event_nouns():
    """A light verb that passes its event to the object ("=") must list objects the noun table knows,
    otherwise "=" can never produce an event."""
    nouns = known_nouns()
    for verb in ("hold", "launch", "impose", "provide", "strengthen"):
        for row in light_verbs(verb):
            if row.code == INHERIT:
                assert any(w in nouns or w.rstrip("s") in nouns for w in row.object_words), row


def test_noun_and_light_verb_lookups():
    invasion = noun_triggers("invasion")
    assert invasion and invasion[0].code == "190" and "of" in invasion[0].target
    talk = noun_triggers("talk")
    assert talk[-1].code == "046"
    aid = noun_triggers("aid")
    assert aid[0].requires and aid[-1].code == "070" and not aid[-1].requires
    assert any(t.code == "072" and "military" in t.requires for t in aid)
    assert [t.noun for t in noun_triggers("hunger strike")][0] == "hunger strike"
    assert any("ammunition" in row.object_words and row.code == "072" for row in light_verbs("supply"))
    assert any("sanctions" in row.object_words and row.code == "163" for row in light_verbs("impose"))
    # "will pay a price" is the speaker's threat (speaker_acts.tsv), not the payer's act: no light verb.
    assert not [row for row in light_verbs("pay") if "price" in row.object_words]
    assert any("tribute" in row.object_words and row.code == "051" for row in light_verbs("pay"))
    assert all(row.entry.startswith("light_verbs.tsv:") for row in light_verbs("hold"))


@pytest.mark.parametrize("junk", [None, "", "   ", 12, "no-such-word", "\x00"])
def test_lookups_never_raise(junk):
    assert verb_patterns(junk) == []
    assert noun_triggers(junk) == []
    assert light_verbs(junk) == []
    assert synset(junk) == frozenset()


# --------------------------------------------------------------------------- build reproducibility


def test_build_script_reproduces_committed_files(shared_dir: Path):
    build = load_build_script()
    files, problems = build.build(shared_dir)
    assert set(files) == {"cameo_codes.tsv", "verb_patterns.tsv", "synsets.tsv"}
    for name, content in files.items():
        assert (DATA / name).read_text(encoding="utf-8") == content, f"{name} is stale: run scripts/build_cameo.py"
    assert len(problems) < 100
