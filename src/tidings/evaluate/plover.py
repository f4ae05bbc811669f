"""``tidings evaluate plover``: event category, source, target and triple against the PLOVER gold standard.

The reference set is ``../shared/data/plover-gsr/PLOVER_GSR_CAMEO.dev.json``: 212 English sentences from the
CAMEO manual's examples, each coded by hand with one PLOVER event (category, source and target actors with
country codes) and span markup ``(SRC: …) (EVT: …) (TAR: …)``. The file predates PLOVER's current labels:
DEMAND→REQUEST, DISAPPROVE→ACCUSE, FIGHT→ASSAULT and INVESTIGATE→ACCUSE are mapped as the PLOVER project
renamed them. A few gold codes are not ISO-3 (``JAP``, ``ITL``): ``data/plover_gold_codes.tsv`` aligns them.

How one sentence is scored. tidings analyzes the sentence as an article, without a publication date (the
file's dates are placeholders).
Of its events, those with a PLOVER category are candidates (a bare statement, CAMEO 01, has none); the one
whose trigger overlaps a gold ``EVT`` span is the prediction, else one the text asserts rather than entertains
(asserted, then future, then hypothetical), then the most confident. Then:

- **category**: right when the prediction's PLOVER category is the gold one. Precision over the sentences
  with a prediction, recall over all gold events.
- **source**, **target**: country codes of the prediction's sources (targets) against the gold ones, micro-
  averaged over codes (a sentence with two gold sources counts two). A reciprocal event is read as the
  PLOVER export writes it (:func:`tidings.events.cameo.plover_sides`): the joint parties are sources and
  there is no target, as in the gold records ("Israel and Lebanon renewed negotiations").
- **triple**: the category right, a source country right, and a target country right (or neither side
  has a target). Precision over predictions, recall over gold events.

A confusion table of categories (gold rows, predicted columns, ``none`` for no prediction) goes with it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..datafiles import read_tsv
from ..events.cameo import plover_sides
from ..records import Analysis, Event
from .shared import shared_data

OLD_LABELS = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "FIGHT": "ASSAULT", "INVESTIGATE": "ACCUSE"}
MARKUP = re.compile(r"\((SRC/TAR|SRC|TAR|EVT|LOC|SRC/LOC|TAR/LOC): ?([^()]*)\)")


def default_data_path() -> Path:
    return shared_data("plover-gsr", "PLOVER_GSR_CAMEO.dev.json")


@dataclass
class GoldEvent:
    id: str
    text: str
    published: str | None
    category: str
    sources: list[str]
    targets: list[str]
    event_spans: list[tuple[int, int]]


@dataclass
class Outcome:
    gold: GoldEvent
    predicted: Event | None
    category_right: bool = False
    source_hits: int = 0
    target_hits: int = 0


@dataclass
class PloverReport:
    figures: dict[str, float | int] = field(default_factory=dict)
    confusion: dict[str, Counter] = field(default_factory=dict)
    outcomes: list[Outcome] = field(default_factory=list)

    def render(self, misses: int = 0) -> str:
        lines = ["Figures"]
        lines += [f"  {key:<22} {value:.3f}" if isinstance(value, float) else f"  {key:<22} {value}"
                  for key, value in self.figures.items()]
        labels = sorted(set(self.confusion) | {p for row in self.confusion.values() for p in row})
        labels = [label for label in labels if label != "none"] + ["none"]
        width = max(len(label) for label in labels) + 1
        lines += ["", "Confusion (rows: gold, columns: predicted)", " " * width + "".join(f"{l[:5]:>6}" for l in labels)]
        for gold in labels:
            if gold not in self.confusion:
                continue
            row = self.confusion[gold]
            lines.append(f"{gold:<{width}}" + "".join(f"{row.get(p, 0) or '.':>6}" for p in labels))
        wrong = [o for o in self.outcomes if not o.category_right][:misses]
        if wrong:
            lines += ["", "Category misses"]
            for outcome in wrong:
                got = outcome.predicted
                said = f"{got.plover} {got.cameo} ({got.rule}) on “{got.trigger.text}”" if got else "nothing"
                lines.append(f"  {outcome.gold.id}: gold {outcome.gold.category}, got {said}: {outcome.gold.text[:90]}")
        return "\n".join(lines)


def _codes(value) -> list[str]:
    aliases = {row["gold"]: row["code"] for row in read_tsv("plover_gold_codes.tsv")}
    items = value if isinstance(value, list) else ([value] if value else [])
    codes: list[str] = []
    for item in items:
        code: str | None = item.get("code") if isinstance(item, dict) else None
        if code and re.fullmatch(r"[A-Z]{3}", code):
            codes.append(aliases.get(code, code))
    return codes


def _plain_spans(markup: str, text: str, kind: str) -> list[tuple[int, int]]:
    """Character spans in ``text`` of the ``kind`` markup, found in order by their words (the markup's
    spacing and punctuation do not always follow the plain sentence exactly)."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for match in MARKUP.finditer(markup):
        inner = match.group(2).strip()
        if not inner:
            continue
        found = text.find(inner, cursor)
        if found < 0:
            found = text.find(inner)
        if found < 0:
            continue
        if kind in match.group(1).split("/"):
            spans.append((found, found + len(inner)))
        cursor = found + len(inner)
    return spans


def load_gold(path: Path) -> list[GoldEvent]:
    try:
        records = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValueError(f"cannot read the PLOVER gold file {path}: {error}") from None
    gold: list[GoldEvent] = []
    for record in records:
        label = record.get("event")
        if not label or label == "DOCUMENT" or not record.get("text"):
            continue
        info = record.get("textInfo")
        markup = info.get("markup", "") if isinstance(info, dict) else ""
        gold.append(GoldEvent(
            id=record.get("id", f"#{len(gold) + 1}"), text=record["text"], published=record.get("date"),
            category=OLD_LABELS.get(label, label), sources=_codes(record.get("source")),
            targets=_codes(record.get("target")), event_spans=_plain_spans(markup, record["text"], "EVT"),
        ))
    return gold


def predict(analysis: Analysis, gold: GoldEvent) -> Event | None:
    candidates = [e for e in analysis.events if e.plover]
    if not candidates:
        return None

    def on_gold_trigger(event: Event) -> bool:
        start = event.trigger.start - analysis.article.body_start
        end = event.trigger.end - analysis.article.body_start
        return any(start < g_end and g_start < end for g_start, g_end in gold.event_spans)

    standing = {"asserted": 3, "historical": 3, "future": 2, "planned": 2, "hypothetical": 1, "negated": 0}
    return max(candidates, key=lambda e: (on_gold_trigger(e), standing.get(e.modality, 0), e.confidence,
                                          -e.trigger.start))


def source_countries(event: Event) -> list[str]:
    return plover_sides(event.source_countries, event.target_countries, event.reciprocal)[0]


def target_countries(event: Event) -> list[str]:
    return plover_sides(event.source_countries, event.target_countries, event.reciprocal)[1]


def _f1(tp: int, predicted: int, gold: int) -> tuple[float, float, float]:
    precision = tp / predicted if predicted else 0.0
    recall = tp / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return round(precision, 4), round(recall, 4), round(f1, 4)


def score(analyzer, path: Path | None = None, limit: int | None = None) -> PloverReport:
    from ..ingest import IngestError

    gold_events = load_gold(path or default_data_path())[:limit]
    report = PloverReport()
    for gold in gold_events:
        try:
            # Each sentence is an article of its own. The file's dates are placeholders, so no
            # publication date is given: "on Sunday" must not make an event historical.
            analysis = analyzer.analyze(gold.text, published=None, kind="text")
        except IngestError:
            analysis = None
        predicted = predict(analysis, gold) if analysis is not None else None
        outcome = Outcome(gold, predicted)
        if predicted is not None:
            outcome.category_right = predicted.plover == gold.category
            outcome.source_hits = len(set(source_countries(predicted)) & set(gold.sources))
            outcome.target_hits = len(set(target_countries(predicted)) & set(gold.targets))
        report.outcomes.append(outcome)
        report.confusion.setdefault(gold.category, Counter())[predicted.plover if predicted else "none"] += 1
    _figures(report)
    return report


def _figures(report: PloverReport) -> None:
    outcomes = report.outcomes
    predicted = [(o, o.predicted) for o in outcomes if o.predicted is not None]
    figures = report.figures
    figures["sentences"] = len(outcomes)
    figures["predicted"] = len(predicted)
    p, r, f = _f1(sum(o.category_right for o in outcomes), len(predicted), len(outcomes))
    figures.update(category_precision=p, category_recall=r, category_f1=f)
    p, r, f = _f1(sum(o.source_hits for o in outcomes), sum(len(set(source_countries(event))) for _, event in predicted),
                  sum(len(set(o.gold.sources)) for o in outcomes))
    figures.update(source_precision=p, source_recall=r, source_f1=f)
    p, r, f = _f1(sum(o.target_hits for o in outcomes), sum(len(set(target_countries(event))) for _, event in predicted),
                  sum(len(set(o.gold.targets)) for o in outcomes))
    figures.update(target_precision=p, target_recall=r, target_f1=f)
    triples = sum(1 for o, event in predicted if o.category_right and o.source_hits
                  and (o.target_hits or (not o.gold.targets and not target_countries(event))))
    p, r, f = _f1(triples, len(predicted), len(outcomes))
    figures.update(triple_precision=p, triple_recall=r, triple_f1=f)
