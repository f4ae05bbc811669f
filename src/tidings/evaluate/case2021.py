"""Score tidings' events against CASE 2021 Task 2 (fine-grained classification of socio-political events).

The reference set (``case2021-task2/test_set_final_release_with_labels.tsv`` in ``../shared``) holds short
news snippets, each labelled with one of 30 event types (ACLED sub-event types plus ORG_CRIME, DIPLO, ATTRIB,
disasters, OTHER). tidings codes CAMEO events, not these types, so ``data/case2021_map.tsv`` says which CAMEO
codes answer which type (and marks the types CAMEO cannot express as unmapped; see the file's header).

How one snippet is classified (:func:`predict`):

1. The snippet is analysed once with the shared :class:`~tidings.Analyzer` (publication date 2021-01-01).
2. Negated events ("did not attack") are dropped: they report that nothing happened.
3. The rest are ranked: asserted or historical events before future, planned or hypothetical ones; then
   higher ``confidence``; then the more specific (longer) CAMEO code; then the earlier trigger in the text.
   Bare statements (root 01: "said", "according to") have no map row except 015/016 (claiming or denying
   responsibility), so they never answer and another event is always preferred.
4. The first ranked event that a map row answers (its ``with``/``source`` conditions checked against the
   snippet's other events and the event's source actors) gives the predicted type; "none" when none does.

Figures (:class:`Case2021Report.figures`, JSON-serialisable):

- ``n_snippets``; ``n_mappable``: snippets whose gold type is mapped; ``n_errors``: snippets the analyzer
  refused (counted as "none").
- ``accuracy_mappable``: correct predictions / ``n_mappable``.
- ``coverage``: mappable snippets given some mapped type (right or wrong) / ``n_mappable``.
- ``per_type``: for each mapped type, precision, recall, F1 and support. Precision counts every snippet the
  type was predicted for, also those whose gold type is unmapped (a GRENADE snippet called ATTACK is wrong).
- ``macro_f1``: mean F1 over the mapped types.
- ``confusion``: gold type -> predicted type ("none" included) -> count; ``top_confusions``: the most common
  (gold, predicted, count) pairs with gold != predicted, over mappable gold types.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from tidings.datafiles import read_tsv

from .shared import shared_data

MAP_FILE = "case2021_map.tsv"
PUBLISHED = "2021-01-01"
NONE = "none"
UNMAPPED = "-"
TOP_CONFUSIONS = 10

_MODALITY_RANK = {"asserted": 0, "historical": 0, "future": 1, "planned": 1, "hypothetical": 2}


class _Analyzer(Protocol):
    def analyze(self, text: str, *, published: str) -> Any: ...


# ------------------------------------------------------------------------------------------------- mapping


@dataclass(frozen=True)
class MapRow:
    """One row of ``case2021_map.tsv``: the CAMEO codes (with conditions) that answer a CASE type."""

    case_type: str
    cameo: tuple[str, ...]
    with_codes: tuple[str, ...] = ()
    source_sectors: tuple[str, ...] = ()
    note: str = ""
    line: int = 0

    @property
    def conditional(self) -> bool:
        return bool(self.with_codes or self.source_sectors)


@dataclass(frozen=True)
class CaseMap:
    """The parsed map: answering rows in file order, and every type the file names (mapped or not)."""

    rows: tuple[MapRow, ...]
    types: tuple[str, ...]

    @property
    def mapped_types(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for row in self.rows:
            seen.setdefault(row.case_type, None)
        return tuple(seen)


def _codes(cell: str) -> tuple[str, ...]:
    return tuple(code.strip() for code in cell.split(",") if code.strip())


def load_map(name: str = MAP_FILE) -> CaseMap:
    """Parse the map file; a row without a type or with a malformed code raises ``ValueError``."""
    rows: list[MapRow] = []
    types: dict[str, None] = {}
    for raw in read_tsv(name):
        case_type = raw.get("case_type", "")
        cameo = raw.get("cameo", "")
        if not case_type or not cameo:
            raise ValueError(f"{name}:{raw.get('_line')}: case_type and cameo are required")
        types.setdefault(case_type, None)
        if cameo == UNMAPPED:
            continue
        codes, with_codes = _codes(cameo), _codes(raw.get("with", ""))
        for code in (*codes, *with_codes):
            if not code.isdigit():
                raise ValueError(f"{name}:{raw.get('_line')}: CAMEO code {code!r} is not a number")
        rows.append(MapRow(case_type, codes, with_codes, _codes(raw.get("source", "")), raw.get("note", ""),
                           int(raw.get("_line", "0"))))
    return CaseMap(tuple(rows), tuple(types))


def _covers(prefixes: Iterable[str], code: str) -> int:
    """Length of the longest listed code that is ``code`` or an ancestor of it (0: none is)."""
    return max((len(prefix) for prefix in prefixes if code.startswith(prefix)), default=0)


def _source_ok(row: MapRow, event: Any, actors: Mapping[Any, Any]) -> bool:
    if not row.source_sectors:
        return True
    wanted = set(row.source_sectors)
    for actor_id in getattr(event, "source_actor_ids", None) or ():
        actor = actors.get(actor_id)
        if actor is None:
            continue
        sectors = {getattr(actor, "sector", None), *(getattr(actor, "sectors", None) or ())}
        if sectors & wanted or ("STATE" in wanted and getattr(actor, "kind", None) == "state"):
            return True
    return False


def answer(case_map: CaseMap, event: Any, others: Sequence[Any], actors: Mapping[Any, Any]) -> MapRow | None:
    """The map row that answers ``event`` given the snippet's ``others`` events, or ``None``."""
    code = str(getattr(event, "cameo", "") or "")
    other_codes = [str(getattr(other, "cameo", "") or "") for other in others if other is not event]
    best: tuple[tuple[int, int, int], MapRow] | None = None
    for order, row in enumerate(case_map.rows):
        length = _covers(row.cameo, code)
        if not length:
            continue
        if row.with_codes and not any(_covers(row.with_codes, other) for other in other_codes):
            continue
        if not _source_ok(row, event, actors):
            continue
        key = (int(row.conditional), length, -order)
        if best is None or key > best[0]:
            best = (key, row)
    return best[1] if best else None


# ---------------------------------------------------------------------------------------------- prediction


def _rank_key(event: Any) -> tuple:
    trigger = getattr(event, "trigger", None)
    return (_MODALITY_RANK.get(getattr(event, "modality", "asserted"), 1),
            -float(getattr(event, "confidence", 0.0) or 0.0),
            -len(str(getattr(event, "cameo", "") or "")),
            getattr(trigger, "start", 0) if trigger is not None else 0)


def predict(case_map: CaseMap, analysis: Any) -> tuple[str, Any | None]:
    """The CASE type tidings' events give a snippet, and the event that gave it (``("none", None)``)."""
    events = [event for event in getattr(analysis, "events", None) or () if getattr(event, "modality", "") != "negated"]
    actors = {getattr(actor, "id", None): actor for actor in getattr(analysis, "actors", None) or ()}
    for event in sorted(events, key=_rank_key):
        row = answer(case_map, event, events, actors)
        if row is not None:
            return row.case_type, event
    return NONE, None


# ------------------------------------------------------------------------------------------------- scoring


@dataclass
class Case2021Report:
    """Named figures (JSON-serialisable) and the per-snippet predictions behind them."""

    figures: dict[str, Any] = field(default_factory=dict)
    predictions: list[dict[str, Any]] = field(default_factory=list)

    def render(self) -> str:
        return render(self)


def default_data_path() -> Path:
    """The CASE 2021 Task 2 test set in ``../shared`` beside the repository (the CLI's ``--data`` overrides it)."""
    return shared_data("case2021-task2", "test_set_final_release_with_labels.tsv")


def load_snippets(path: Path, limit: int | None = None) -> list[tuple[str, str, str]]:
    """(id, snippet, gold type) rows of the TSV; a missing or malformed file raises ``ValueError``."""
    try:
        with Path(path).open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            if not reader.fieldnames or not {"EventSnippet", "SubType"} <= set(reader.fieldnames):
                raise ValueError(f"{path} must be a TSV with columns id, EventSnippet, SubType")
            rows: list[tuple[str, str, str]] = []
            for number, row in enumerate(reader, start=1):
                if limit is not None and len(rows) >= limit:
                    break
                gold = (row.get("SubType") or "").strip()
                rows.append((str(row.get("id") or number), row.get("EventSnippet") or "", gold))
    except OSError as error:
        raise ValueError(f"cannot read CASE 2021 data {path}: {error.strerror or error}") from error
    except (UnicodeDecodeError, csv.Error) as error:
        raise ValueError(f"CASE 2021 data {path} is malformed: {error}") from error
    return rows


def _ratio(numerator: int, denominator: int) -> float:
    return round(numerator / denominator, 4) if denominator else 0.0


def _f1(precision: float, recall: float) -> float:
    return round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0


def figures_from_pairs(pairs: Sequence[tuple[str, str]], case_map: CaseMap, n_errors: int = 0) -> dict[str, Any]:
    """The report's figures from (gold, predicted) pairs, one per snippet."""
    mapped = set(case_map.mapped_types)
    mappable = [(gold, predicted) for gold, predicted in pairs if gold in mapped]
    confusion: dict[str, Counter] = {}
    for gold, predicted in pairs:
        confusion.setdefault(gold, Counter())[predicted] += 1
    predicted_counts = Counter(predicted for _, predicted in pairs)
    per_type: dict[str, dict[str, float | int]] = {}
    for case_type in case_map.mapped_types:
        support = sum(1 for gold, _ in pairs if gold == case_type)
        hits = confusion.get(case_type, Counter())[case_type]
        precision = _ratio(hits, predicted_counts[case_type])
        recall = _ratio(hits, support)
        per_type[case_type] = {"precision": precision, "recall": recall, "f1": _f1(precision, recall),
                               "support": support, "predicted": predicted_counts[case_type]}
    scored = [values for values in per_type.values() if values["support"] or values["predicted"]]
    confusions = Counter({(gold, predicted): count for gold, row in confusion.items() if gold in mapped
                          for predicted, count in row.items() if predicted != gold})
    return {
        "n_snippets": len(pairs),
        "n_mappable": len(mappable),
        "n_errors": n_errors,
        "accuracy_mappable": _ratio(sum(gold == predicted for gold, predicted in mappable), len(mappable)),
        "coverage": _ratio(sum(predicted in mapped for _, predicted in mappable), len(mappable)),
        "macro_f1": round(sum(values["f1"] for values in scored) / len(scored), 4) if scored else 0.0,
        "per_type": per_type,
        "confusion": {gold: dict(row.most_common()) for gold, row in sorted(confusion.items())},
        "top_confusions": [[gold, predicted, count] for (gold, predicted), count in
                           sorted(confusions.items(), key=lambda item: (-item[1], item[0]))[:TOP_CONFUSIONS]],
    }


def score(analyzer: _Analyzer, data_path: Path | None = None, *, limit: int | None = None,
          case_map: CaseMap | None = None) -> Case2021Report:
    """Classify every snippet (the first ``limit`` when given) with ``analyzer`` and score against the gold
    types. An analyzer error on one snippet counts as a "none" prediction (``n_errors``), not a crash."""
    case_map = case_map or load_map()
    snippets = load_snippets(data_path or default_data_path(), limit)
    report = Case2021Report()
    pairs: list[tuple[str, str]] = []
    errors = 0
    for snippet_id, text, gold in snippets:
        try:
            analysis = analyzer.analyze(text, published=PUBLISHED)
        except Exception as error:  # one bad snippet must not end the run; it is counted instead
            errors += 1
            predicted, event, why = NONE, None, f"{type(error).__name__}: {error}"
        else:
            (predicted, event), why = predict(case_map, analysis), ""
        pairs.append((gold, predicted))
        report.predictions.append({
            "id": snippet_id, "gold": gold, "predicted": predicted,
            "cameo": getattr(event, "cameo", None), "trigger": getattr(getattr(event, "trigger", None), "text", None),
            "error": why or None,
        })
    report.figures = figures_from_pairs(pairs, case_map, errors)
    return report


# -------------------------------------------------------------------------------------------------- render


def render(report: Case2021Report) -> str:
    """Plain-text report: headline figures, per-type table, top confusions, sparse confusion table."""
    figures = report.figures
    lines = ["CASE 2021 Task 2 (event type classification)"]
    for key in ("n_snippets", "n_mappable", "n_errors", "accuracy_mappable", "coverage", "macro_f1"):
        lines.append(f"  {key:<18} {figures.get(key)}")
    lines.append("")
    lines.append(f"  {'type':<30} {'prec':>6} {'rec':>6} {'f1':>6} {'gold':>5} {'pred':>5}")
    for case_type, values in sorted(figures.get("per_type", {}).items()):
        lines.append(f"  {case_type:<30} {values['precision']:>6.3f} {values['recall']:>6.3f} "
                     f"{values['f1']:>6.3f} {values['support']:>5} {values['predicted']:>5}")
    lines.append("")
    lines.append("  most common confusions (gold -> predicted), mappable gold types")
    for gold, predicted, count in figures.get("top_confusions", []):
        lines.append(f"    {count:>4}  {gold} -> {predicted}")
    lines.append("")
    lines.append("  confusion (gold: predicted=count, ...; unmapped gold types marked *)")
    mapped = set(figures.get("per_type", {}))
    for gold, row in figures.get("confusion", {}).items():
        cells = ", ".join(f"{predicted}={count}" for predicted, count in row.items())
        lines.append(f"    {gold}{'' if gold in mapped else '*'}: {cells}")
    return "\n".join(lines)


__all__ = ["Case2021Report", "CaseMap", "MapRow", "answer", "default_data_path", "figures_from_pairs",
           "load_map", "load_snippets", "predict", "render", "score"]
