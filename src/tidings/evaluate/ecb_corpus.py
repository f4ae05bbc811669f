"""Reading ECB+ (Cybulska & Vossen 2014) straight from ``ECBplus.tar.gz``: documents, gold event mentions
and their cross-document clusters.

Gold event mentions are the ``ACTION_*`` and ``NEG_ACTION_*`` markables that anchor tokens, kept only in the
sentences ``ECBplus_coreference_sentences.csv`` lists (the sentences the annotators checked; standard
practice). A mention's gold cluster is the ``instance_id`` its ``CROSS_DOC_COREF`` relation points to,
else its ``INTRA_DOC_COREF`` chain, else a singleton of its own.
"""

from __future__ import annotations

import csv
import re
import tarfile
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ARCHIVE = "ECBplus.tar.gz"
SENTENCES = "ECBplus_coreference_sentences.csv"
DOC_NAME = re.compile(r"ECB\+/(\d+)/(\d+_\d+ecb(?:plus)?)\.xml$")


@dataclass(frozen=True)
class GoldMention:
    id: str            # "<doc>:<m_id>"
    doc: str           # "1_10ecb"
    sentence: int
    token_ids: tuple[int, ...]
    cluster: str       # gold cluster key


@dataclass(frozen=True)
class EcbDocument:
    name: str
    topic: int
    sentences: dict[int, list[tuple[int, str]]]   # sentence number -> [(t_id, token text)]
    mentions: tuple[GoldMention, ...]


def selected_sentences(data_dir: Path) -> dict[str, set[int]]:
    """Checked sentence numbers per document name ("1_10ecbplus")."""
    chosen: dict[str, set[int]] = defaultdict(set)
    with (data_dir / SENTENCES).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            try:
                chosen[f"{int(row['Topic'])}_{row['File'].strip()}"].add(int(row["Sentence Number"]))
            except (KeyError, ValueError, TypeError):
                continue
    return dict(chosen)


def _is_event(tag: str) -> bool:
    return tag.startswith("ACTION_") or tag.startswith("NEG_ACTION_")


def parse_document(name: str, topic: int, xml: bytes, checked: set[int]) -> EcbDocument:
    root = ET.fromstring(xml)  # noqa: S314 - trusted local evaluation corpus
    sentences: dict[int, list[tuple[int, str]]] = defaultdict(list)
    sentence_of: dict[int, int] = {}
    for token in root.iter("token"):
        t_id, number = int(token.get("t_id", "0")), int(token.get("sentence", "0"))
        sentences[number].append((t_id, token.text or ""))
        sentence_of[t_id] = number
    anchored: dict[str, tuple[int, ...]] = {}
    markables = root.find("Markables")
    for markable in (markables if markables is not None else []):
        anchors = tuple(sorted(int(a.get("t_id", "0")) for a in markable.findall("token_anchor")))
        if _is_event(markable.tag) and anchors:
            anchored[markable.get("m_id", "")] = anchors
    cluster: dict[str, str] = {}
    relations = root.find("Relations")
    for relation in (relations if relations is not None else []):
        target = relation.find("target")
        if relation.tag == "CROSS_DOC_COREF":
            key = relation.get("note") or f"{name}:cross:{relation.get('r_id')}"
        elif relation.tag == "INTRA_DOC_COREF":
            key = f"{name}:intra:{target.get('m_id') if target is not None else relation.get('r_id')}"
        else:
            continue
        for source in relation.findall("source"):
            cluster.setdefault(source.get("m_id", ""), key)
    mentions = []
    for m_id, anchors in anchored.items():
        sentence = sentence_of.get(anchors[0], -1)
        if sentence in checked:
            mentions.append(GoldMention(f"{name}:{m_id}", name, sentence, anchors,
                                        cluster.get(m_id, f"{name}:single:{m_id}")))
    mentions.sort(key=lambda m: m.token_ids)
    return EcbDocument(name, topic, dict(sentences), tuple(mentions))


def read_corpus(data_dir: Path, topics: set[int] | None = None) -> Iterator[EcbDocument]:
    """Documents with at least one checked sentence, in archive order, optionally only some topics."""
    checked = selected_sentences(data_dir)
    with tarfile.open(data_dir / ARCHIVE, "r:gz") as archive:
        for member in archive:
            match = DOC_NAME.search(member.name)
            if not member.isfile() or not match:
                continue
            topic, name = int(match.group(1)), match.group(2)
            if (topics is not None and topic not in topics) or name not in checked:
                continue
            handle = archive.extractfile(member)
            if handle is None:
                continue
            try:
                yield parse_document(name, topic, handle.read(), checked[name])
            except ET.ParseError:
                continue
