"""Score tidings' quotes against PolNeAR (Political News Attribution Relations, Newell et al. 2018).

PolNeAR annotates *attributions* in US election news: a **Source** (who), a **Cue** (the verb or phrase that
signals it: "said", "according to", ":"), and a **Content** (what was said or thought). The files are BRAT
standoff: ``{split}/text/<name>.txt`` holds the raw article and ``{split}/attributions/<name>_<annotator>.ann``
its annotations, offsets into the raw file (see :func:`parse_ann` for the lines read). A few articles were
annotated by several annotators: one ``.ann`` per annotator.

tidings is run on the raw file text **unchanged** (not through ``read_article``, which rebuilds the text),
so its quote offsets are offsets into the same string as the gold ones. Roles map as
Source <-> ``quote.speaker.mention``, Cue <-> ``quote.cue``, Content <-> ``quote.content``.

Prediction units. A tidings quote marked ``follow_on`` (a quote with no cue of its own that continues the
previous one) is joined to the attribution before it, its content added as another fragment — PolNeAR
annotates "“A,” she said. “B.”" as one attribution with a discontinuous content.

Span comparison (:func:`normalise`). Every span is a tuple of fragments. Each fragment is trimmed of
whitespace and punctuation (Unicode category P*, so quote marks, commas, full stops, dashes) at both ends;
empty fragments are dropped; fragments that overlap, or whose gap holds only whitespace and punctuation,
are merged. Then:

- **exact**: the normalised fragment tuples are equal (same starts and ends);
- **overlap**: the spans share at least one alphanumeric character (a shared comma or quote mark does not
  count). Overlap matching is one-to-one and greedy: candidate pairs are taken in order of most shared
  alphanumeric characters first.

Figures (:attr:`PolnearReport.figures`, JSON-serialisable; p = precision, r = recall, f1):

- ``{role}_{exact|overlap}_{p|r|f1}`` for role ``source``, ``cue``, ``content``: role-level scores over the
  *distinct* normalised spans of that role in an article (a source shared by two attributions counts once,
  on both sides).
- ``attribution_{exact|overlap}_{p|r|f1}``: predicted attributions are matched one-to-one to gold ones by
  content overlap (greedy, most shared characters first); a matched pair counts as a true positive when its
  three roles agree (exact: all exact; overlap: all overlap). A role absent on both sides (an attribution
  with no source) agrees; absent on one side only does not.
- ``{kind}_{content_overlap|content_exact|attribution_overlap|attribution_exact}_{p|r|f1}`` for kind
  ``direct``, ``mixed``, ``indirect``, from the same attribution matching. Gold attributions are classified
  by their content (:func:`gold_kind`): *direct* when every alphanumeric character of the content lies
  inside quote marks, *mixed* when some do, *indirect* when none do. Predictions carry tidings' own kind.
  **Recall** of kind K = gold K attributions matched (and meeting the criterion) / gold K attributions;
  **precision** of kind K = predictions tidings labelled K that are matched (and meet the criterion) /
  predictions labelled K. The two kinds of a matched pair need not agree (``kind_agreement`` says how often
  they do), so per-kind F1 combines "finds K attributions" with "its K labels are right".
  ``content_overlap`` here is just "matched", and ``content_exact`` "matched with exact content".
- ``pronoun_source_exact_{p|r|f1}``: the role-level source score restricted to sources that are a single
  personal pronoun (:data:`PERSONAL_PRONOUNS`) — gold pronoun sources for recall, predicted pronoun sources
  for precision. tidings' speaker mention is the subject phrase of the cue, so a pronoun subject is its own
  mention; ``pronoun_source_overlap_*`` and ``n_gold_pronoun_sources`` go with it.
- Counts: ``n_articles``, ``n_ann_files``, ``n_multi_annotator_articles``, ``n_gold_attributions``,
  ``n_predicted_attributions``, ``n_gold_{kind}``, ``n_predicted_{kind}``, ``n_errors`` (articles the
  analyzer failed on: scored as predicting nothing), ``n_stage_warnings``.
- ``error_types``: over matched pairs, why they fall short of exact (``content_boundary``, of which
  ``content_boundary_only_leading_that`` differ only by a leading "that" the gold span includes;
  ``cue_missing``, ``cue_spurious``, ``cue_boundary``, ``cue_wrong``, ``source_missing``, ...,
  ``source_pronoun_not_exact``); unmatched gold (``missed_{kind}``) and unmatched predictions
  (``spurious_{kind}``). ``top_missed_cues``: the most
  common gold cue words of missed attributions.

Several annotators. Each annotator's file is scored on its own; the per-article counts (true positives,
predictions, gold items) are the mean over that article's annotators, so a six-way annotated article weighs
as much as any other. Counts are summed over articles and the ratios computed from the sums (micro average).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from tidings.records import Article

from .shared import shared_data

KINDS = ("direct", "mixed", "indirect")
ROLES = ("source", "cue", "content")
MODES = ("exact", "overlap")
KIND_CRITERIA = ("content_overlap", "content_exact", "attribution_overlap", "attribution_exact")
# A closed grammatical class, part of the metric's definition (not domain knowledge to tune).
PERSONAL_PRONOUNS = frozenset({"i", "me", "we", "us", "you", "he", "him", "she", "her", "it", "they", "them"})
TOP_MISSED_CUES = 15

Fragments = tuple[tuple[int, int], ...]

_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)(?:\t|$)")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")
_ANN_NAME = re.compile(r"^(?P<base>.+)_(?P<annotator>[^_]+)\.ann$")
_DATE_IN_NAME = re.compile(r"_(\d{4}-\d{2}-\d{2})_")

_OPEN_DOUBLE = "“„«"
_CLOSE_DOUBLE = "”»"


class _Analyzer(Protocol):
    def analyze_article(self, article: Article) -> Any: ...


# ----------------------------------------------------------------------------------------- the gold data


@dataclass(frozen=True)
class Attribution:
    """One attribution, gold or predicted: its role spans as raw fragments (``None``: role absent)."""

    content: Fragments
    cue: Fragments | None = None
    source: Fragments | None = None
    kind: str = "indirect"
    label: str = ""  # the gold event id ("E3") or tidings' quote ids ("Q2+Q3"), for reading reports


@dataclass
class PolnearArticle:
    """One article: its raw text and, per annotator, the gold attributions."""

    name: str
    text: str
    annotations: dict[str, list[Attribution]] = field(default_factory=dict)

    @property
    def published(self) -> str | None:
        found = _DATE_IN_NAME.search(self.name + "_")
        return found.group(1) if found else None


def _fragments(offsets: str) -> Fragments:
    pairs = []
    for part in offsets.split(";"):
        start, end = (int(number) for number in part.split())
        if end > start:
            pairs.append((start, end))
    return tuple(sorted(pairs))


def parse_ann(ann: str, text: str) -> list[Attribution]:
    """The attributions of one BRAT standoff file.

    Lines read: ``T<n>\\t<Type> <start> <end>[;<start> <end>...]\\t<text>`` (a span; several ``start end``
    pairs make a discontinuous one) and ``E<n>\\t<Trigger>:T<a> <Role>:T<b> ...`` (an attribution: the
    trigger type is ``Attribution`` or ``Attribution-no-source``; roles are ``Source``, ``Cue``,
    ``Content``, and a numbered repeat such as ``Content2`` adds fragments to its role). Other lines
    (``#`` notes, ``A``/``R`` lines, the continuation of a span text that held a line break) are skipped,
    as are spans whose offsets fall outside ``text``, and events with no content. Gold kinds are set by
    :func:`gold_kind` against ``text``.
    """
    spans: dict[str, Fragments] = {}
    events: list[tuple[str, dict[str, list[str]]]] = []
    for line in ann.splitlines():
        span_line = _T_LINE.match(line)
        if span_line:
            fragments = _fragments(span_line.group(3))
            if fragments and fragments[-1][1] <= len(text):
                spans[span_line.group(1)] = fragments
            continue
        event_line = _E_LINE.match(line)
        if not event_line:
            continue
        roles: dict[str, list[str]] = {}
        for argument in event_line.group(2).split()[1:]:
            role, _, target = argument.partition(":")
            roles.setdefault(role.rstrip("0123456789").lower(), []).append(target)
        events.append((event_line.group(1), roles))
    quoted = quoted_characters(text)
    attributions = []
    for event_id, roles in events:
        found: dict[str, Fragments | None] = {}
        for role in ROLES:
            pieces = [piece for target in roles.get(role, ()) for piece in spans.get(target, ())]
            found[role] = tuple(sorted(set(pieces))) or None
        content = found["content"]
        if not content:
            continue
        attributions.append(Attribution(content=content, cue=found["cue"], source=found["source"],
                                        kind=gold_kind(text, content, quoted), label=event_id))
    return attributions


def default_data_dir() -> Path:
    """PolNeAR in ``../shared`` beside the repository (the CLI's ``--data`` overrides it)."""
    return shared_data("polnear")


def _read(path: Path) -> str:
    """The file's text exactly as stored: no newline translation, since offsets count every character."""
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        return handle.read()


def load_split(data_dir: Path, split: str = "dev", limit: int | None = None) -> list[PolnearArticle]:
    """The articles of ``split`` that have a text and at least one ``.ann`` file, in name order (the first
    ``limit`` when given). A missing split raises ``ValueError``; an unreadable file is skipped."""
    root = Path(data_dir) / split
    text_dir, ann_dir = root / "text", root / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise ValueError(f"PolNeAR split {split!r} not found under {data_dir} (expected {text_dir} and {ann_dir})")
    by_base: dict[str, list[tuple[str, Path]]] = {}
    for path in sorted(ann_dir.glob("*.ann")):
        named = _ANN_NAME.match(path.name)
        if named:
            by_base.setdefault(named.group("base"), []).append((named.group("annotator"), path))
    articles: list[PolnearArticle] = []
    for base in sorted(by_base):
        if limit is not None and len(articles) >= limit:
            break
        text_path = text_dir / f"{base}.txt"
        try:
            text = _read(text_path) if text_path.is_file() else None
        except OSError:
            text = None
        if text is None:
            continue
        article = PolnearArticle(name=base, text=text)
        for annotator, path in by_base[base]:
            try:
                ann = _read(path)
            except OSError:
                continue
            article.annotations[annotator] = parse_ann(ann, text)
        if article.annotations:
            articles.append(article)
    return articles


# ----------------------------------------------------------------------------------- comparing spans


def _trimmable(char: str) -> bool:
    return char.isspace() or unicodedata.category(char).startswith("P")


def normalise(text: str, fragments: Iterable[tuple[int, int]] | None) -> Fragments | None:
    """Trim each fragment of outer whitespace/punctuation, drop empty ones, merge fragments that overlap or
    are separated only by whitespace/punctuation. ``None`` when nothing is left."""
    trimmed = []
    for start, end in fragments or ():
        start, end = max(0, start), min(len(text), end)
        while start < end and _trimmable(text[start]):
            start += 1
        while end > start and _trimmable(text[end - 1]):
            end -= 1
        if end > start:
            trimmed.append((start, end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(trimmed):
        if merged and (start <= merged[-1][1] or all(_trimmable(c) for c in text[merged[-1][1]:start])):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged) or None


def shared_characters(text: str, first: Fragments | None, second: Fragments | None) -> int:
    """How many alphanumeric characters two spans share."""
    if not first or not second:
        return 0
    count = 0
    for a_start, a_end in first:
        for b_start, b_end in second:
            start, end = max(a_start, b_start), min(a_end, b_end)
            if end > start:
                count += sum(1 for char in text[start:end] if char.isalnum())
    return count


def greedy_pairs(gold: Sequence[Any], predicted: Sequence[Any],
                 weight: Callable[[Any, Any], float]) -> list[tuple[int, int]]:
    """One-to-one matching: pairs with positive weight, heaviest first (ties: earlier gold, earlier prediction)."""
    candidates = [(weight(g, p), i, j) for i, g in enumerate(gold) for j, p in enumerate(predicted)]
    candidates = sorted((c for c in candidates if c[0] > 0), key=lambda c: (-c[0], c[1], c[2]))
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_gold and j not in used_predicted:
            used_gold.add(i)
            used_predicted.add(j)
            pairs.append((i, j))
    return pairs


def _agrees(text: str, gold: Fragments | None, predicted: Fragments | None, mode: str) -> bool:
    if gold is None or predicted is None:
        return gold is None and predicted is None
    return gold == predicted if mode == "exact" else shared_characters(text, gold, predicted) > 0


# -------------------------------------------------------------------------------------- kinds of quotes


def quoted_characters(text: str) -> bytearray:
    """A mask over ``text``: 1 for characters inside quote marks. Double marks (“…”, "…", «…», „…“) and
    single typographic ones (‘…’, where ‘ starts a word and the closing ’ does not sit inside a word, so
    apostrophes are not taken for marks); nesting is followed. A mark still open at the end of a line
    closes there (a quote running on into the next paragraph re-opens with a mark of its own)."""
    mask = bytearray(len(text))
    stack: list[str] = []
    for index, char in enumerate(text):
        if char == "\n":
            stack.clear()
            continue
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        closes = False
        if char in _CLOSE_DOUBLE or (char == "“" and stack and stack[-1] == "„"):
            closes = any(opener in _OPEN_DOUBLE for opener in stack)
            if closes:
                _pop_to(stack, set(_OPEN_DOUBLE))
        elif char == '"':
            if '"' in stack:
                _pop_to(stack, {'"'})
                closes = True
            else:
                stack.append('"')
                continue
        elif char == "’" and "‘" in stack and not after.isalpha():
            _pop_to(stack, {"‘"})
            closes = True
        elif char in _OPEN_DOUBLE or (char == "‘" and not before.isalnum()):
            stack.append(char)
            continue
        if stack and not closes:
            mask[index] = 1
    return mask


def _pop_to(stack: list[str], openers: set[str]) -> None:
    while stack:
        if stack.pop() in openers:
            return


def gold_kind(text: str, content: Fragments, quoted: bytearray | None = None) -> str:
    """direct / mixed / indirect: whether all, some or none of the content's alphanumeric characters lie
    inside quote marks (quote marks themselves are not alphanumeric, so whether the annotator took them into
    the span does not matter)."""
    quoted = quoted if quoted is not None else quoted_characters(text)
    inside = outside = 0
    for start, end in content:
        for index in range(max(0, start), min(len(text), end)):
            if text[index].isalnum():
                if quoted[index]:
                    inside += 1
                else:
                    outside += 1
    if inside and not outside:
        return "direct"
    return "mixed" if inside else "indirect"


# ---------------------------------------------------------------------------------------- predictions


def _span(span: Any) -> Fragments | None:
    if span is None:
        return None
    start, end = getattr(span, "start", None), getattr(span, "end", None)
    if not isinstance(start, int) or not isinstance(end, int) or end <= start:
        return None
    return ((start, end),)


def predicted_attributions(quotes: Iterable[Any]) -> list[Attribution]:
    """tidings' quotes as attributions: a ``follow_on`` quote joins the attribution before it as another
    content fragment (it has no cue of its own and inherits that speaker)."""
    result: list[Attribution] = []
    for quote in sorted(quotes, key=lambda q: getattr(getattr(q, "content", None), "start", 0)):
        content = _span(getattr(quote, "content", None))
        if content is None:
            continue
        speaker = getattr(quote, "speaker", None)
        if getattr(quote, "follow_on", False) and result:
            lead = result[-1]
            result[-1] = Attribution(content=tuple(sorted(set(lead.content + content))), cue=lead.cue,
                                     source=lead.source, kind=lead.kind, label=f"{lead.label}+{quote.id}")
            continue
        result.append(Attribution(content=content, cue=_span(getattr(quote, "cue", None)),
                                  source=_span(getattr(speaker, "mention", None)),
                                  kind=str(getattr(quote, "kind", "indirect")), label=str(getattr(quote, "id", ""))))
    return result


# --------------------------------------------------------------------------------------------- counting


@dataclass
class Tally:
    """Counts behind one precision/recall pair. They are kept apart because per-kind figures count hits
    on the predicted side and on the gold side separately (a matched pair may differ in kind)."""

    hit_predicted: float = 0.0
    predicted: float = 0.0
    hit_gold: float = 0.0
    gold: float = 0.0

    def add(self, other: Tally, weight: float = 1.0) -> None:
        self.hit_predicted += other.hit_predicted * weight
        self.predicted += other.predicted * weight
        self.hit_gold += other.hit_gold * weight
        self.gold += other.gold * weight

    def prf(self) -> tuple[float, float, float]:
        precision = self.hit_predicted / self.predicted if self.predicted else 0.0
        recall = self.hit_gold / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return round(precision, 4), round(recall, 4), round(f1, 4)


@dataclass
class ArticleCounts:
    """Everything counted for one article against one annotator (or the mean over annotators)."""

    tallies: dict[str, Tally] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)
    error_types: Counter = field(default_factory=Counter)
    missed_cues: Counter = field(default_factory=Counter)

    def tally(self, key: str) -> Tally:
        return self.tallies.setdefault(key, Tally())

    def add(self, other: ArticleCounts, weight: float = 1.0) -> None:
        for key, value in other.tallies.items():
            self.tally(key).add(value, weight)
        for target, source in ((self.counts, other.counts), (self.error_types, other.error_types),
                               (self.missed_cues, other.missed_cues)):
            for name, count in source.items():
                # typeshed types Counter values as int; these counters hold weighted (float) means on purpose.
                target[name] += count * weight  # type: ignore[assignment]


def _is_pronoun(text: str, span: Fragments | None) -> bool:
    return bool(span and len(span) == 1 and text[span[0][0]:span[0][1]].lower() in PERSONAL_PRONOUNS)


def _role_spans(text: str, attributions: Sequence[Attribution], role: str) -> list[Fragments]:
    spans = {normalise(text, getattr(attribution, role)) for attribution in attributions}
    return sorted(span for span in spans if span)


def _count_role(text: str, counts: ArticleCounts, key: str, gold: list[Fragments], predicted: list[Fragments]) -> None:
    exact = len(set(gold) & set(predicted))
    overlap = len(greedy_pairs(gold, predicted, lambda g, p: shared_characters(text, g, p)))
    for mode, hits in (("exact", exact), ("overlap", overlap)):
        counts.tally(f"{key}_{mode}").add(Tally(hits, len(predicted), hits, len(gold)))


def _normalised(text: str, attribution: Attribution) -> Attribution:
    return Attribution(content=normalise(text, attribution.content) or (), cue=normalise(text, attribution.cue),
                       source=normalise(text, attribution.source), kind=attribution.kind, label=attribution.label)


def count_article(text: str, gold: Sequence[Attribution], predicted: Sequence[Attribution]) -> ArticleCounts:
    """Score one article's predicted attributions against one annotator's gold ones."""
    counts = ArticleCounts()
    gold_n = [a for a in (_normalised(text, a) for a in gold) if a.content]
    predicted_n = [a for a in (_normalised(text, a) for a in predicted) if a.content]

    for role in ROLES:
        _count_role(text, counts, role, _role_spans(text, gold_n, role), _role_spans(text, predicted_n, role))
    gold_pronouns = [s for s in _role_spans(text, gold_n, "source") if _is_pronoun(text, s)]
    predicted_pronouns = [s for s in _role_spans(text, predicted_n, "source") if _is_pronoun(text, s)]
    _count_role(text, counts, "pronoun_source", gold_pronouns, predicted_pronouns)
    counts.counts["n_gold_pronoun_sources"] += len(gold_pronouns)

    pairs = greedy_pairs(gold_n, predicted_n, lambda g, p: shared_characters(text, g.content, p.content))
    matched_gold = {i: j for i, j in pairs}
    matched_predicted = {j: i for i, j in pairs}
    verdicts: dict[tuple[int, int], dict[str, bool]] = {}
    for i, j in pairs:
        g, p = gold_n[i], predicted_n[j]
        verdicts[(i, j)] = {
            "content_overlap": True,
            "content_exact": g.content == p.content,
            "attribution_overlap": all(_agrees(text, getattr(g, r), getattr(p, r), "overlap") for r in ROLES),
            "attribution_exact": all(_agrees(text, getattr(g, r), getattr(p, r), "exact") for r in ROLES),
        }
        counts.counts["kind_agreement_hits"] += g.kind == p.kind
        counts.counts["matched"] += 1
        counts.error_types.update(_shortfalls(text, g, p))
    for mode in MODES:
        hits = sum(verdict[f"attribution_{mode}"] for verdict in verdicts.values())
        counts.tally(f"attribution_{mode}").add(Tally(hits, len(predicted_n), hits, len(gold_n)))
    for kind in KINDS:
        for criterion in KIND_CRITERIA:
            tally = counts.tally(f"{kind}_{criterion}")
            for i, g in enumerate(gold_n):
                if g.kind == kind:
                    tally.gold += 1
                    tally.hit_gold += i in matched_gold and verdicts[(i, matched_gold[i])][criterion]
            for j, p in enumerate(predicted_n):
                if p.kind == kind:
                    tally.predicted += 1
                    tally.hit_predicted += j in matched_predicted and verdicts[(matched_predicted[j], j)][criterion]
    for i, g in enumerate(gold_n):
        counts.counts[f"n_gold_{g.kind}"] += 1
        if i not in matched_gold:
            counts.error_types[f"missed_{g.kind}"] += 1
            if g.cue:
                counts.missed_cues[" ".join(text[s:e] for s, e in g.cue).lower()] += 1
    for j, p in enumerate(predicted_n):
        counts.counts[f"n_predicted_{p.kind}"] += 1
        if j not in matched_predicted:
            counts.error_types[f"spurious_{p.kind}"] += 1
    counts.counts["n_gold_attributions"] += len(gold_n)
    counts.counts["n_predicted_attributions"] += len(predicted_n)
    return counts


def _shortfalls(text: str, gold: Attribution, predicted: Attribution) -> list[str]:
    """Why a matched pair is not exact: one label per role that differs."""
    reasons = []
    if gold.content != predicted.content:
        reasons.append("content_boundary")
        if _differs_by_leading_that(text, gold.content, predicted.content):
            reasons.append("content_boundary_only_leading_that")
    for role in ("cue", "source"):
        g, p = getattr(gold, role), getattr(predicted, role)
        if g == p:
            continue
        if p is None:
            reasons.append(f"{role}_missing")
        elif g is None:
            reasons.append(f"{role}_spurious")
        elif shared_characters(text, g, p):
            reasons.append(f"{role}_boundary")
        else:
            reasons.append(f"{role}_wrong")
    source_off = {"source_missing", "source_wrong", "source_boundary"} & set(reasons)
    if source_off and _is_pronoun(text, gold.source):
        reasons.append("source_pronoun_not_exact")
    return reasons


def _differs_by_leading_that(text: str, gold: Fragments, predicted: Fragments) -> bool:
    """PolNeAR's content takes in the complementizer ("said that it ..."), tidings' starts after it: a
    diagnostic of how many boundary misses are only that convention."""
    (start, end), rest = gold[0], gold[1:]
    if text[start:start + 5].lower() != "that ":
        return False
    return normalise(text, ((start + 5, end), *rest)) == predicted


def count_annotated(article: PolnearArticle, predicted: Sequence[Attribution]) -> ArticleCounts:
    """The article's counts: the mean over its annotators of each annotator's counts."""
    total = ArticleCounts()
    annotators = list(article.annotations.values())
    for gold in annotators:
        total.add(count_article(article.text, gold, predicted), 1.0 / len(annotators))
    return total


# ---------------------------------------------------------------------------------------------- scoring


@dataclass
class PolnearReport:
    """Named figures (JSON-serialisable) and per-article notes (predicted and gold attribution counts)."""

    figures: dict[str, Any] = field(default_factory=dict)
    articles: list[dict[str, Any]] = field(default_factory=list)

    def render(self) -> str:
        return render(self)


def _round(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


def figures_from_counts(total: ArticleCounts, *, n_articles: int, n_ann_files: int, n_multi: int,
                        n_errors: int, n_stage_warnings: int) -> dict[str, Any]:
    """The report's figures from the summed (annotator-averaged) counts."""
    figures: dict[str, Any] = {
        "split": None, "n_articles": n_articles, "n_ann_files": n_ann_files,
        "n_multi_annotator_articles": n_multi, "n_errors": n_errors, "n_stage_warnings": n_stage_warnings,
    }
    for key in ("n_gold_attributions", "n_predicted_attributions", *(f"n_gold_{k}" for k in KINDS),
                *(f"n_predicted_{k}" for k in KINDS), "n_gold_pronoun_sources"):
        figures[key] = _round(total.counts.get(key, 0))
    keys = [f"{role}_{mode}" for role in ROLES for mode in MODES]
    keys += [f"attribution_{mode}" for mode in MODES]
    keys += [f"{kind}_{criterion}" for kind in KINDS for criterion in KIND_CRITERIA]
    keys += [f"pronoun_source_{mode}" for mode in MODES]
    for key in keys:
        precision, recall, f1 = total.tally(key).prf()
        figures[f"{key}_p"], figures[f"{key}_r"], figures[f"{key}_f1"] = precision, recall, f1
    matched = total.counts.get("matched", 0)
    figures["kind_agreement"] = round(total.counts.get("kind_agreement_hits", 0) / matched, 4) if matched else 0.0
    figures["error_types"] = {key: _round(value) for key, value in total.error_types.most_common()}
    figures["top_missed_cues"] = [[cue, _round(value)] for cue, value in total.missed_cues.most_common(TOP_MISSED_CUES)]
    return figures


def _analysis_quotes(analyzer: _Analyzer, article: PolnearArticle) -> tuple[list[Any], int, str | None]:
    record = Article(id=article.name, source=article.name, text=article.text, body_start=0, language="en",
                     published=article.published)
    try:
        analysis = analyzer.analyze_article(record)
    except Exception as error:  # noqa: BLE001 - one bad article is counted, not fatal
        return [], 0, f"{type(error).__name__}: {error}"
    warnings = [w for w in getattr(analysis, "warnings", None) or () if "failed" in w]
    return list(getattr(analysis, "quotes", None) or ()), len(warnings), getattr(analysis, "error", None)


def score(analyzer: _Analyzer, data_dir: Path | None = None, split: str = "dev",
          limit: int | None = None) -> PolnearReport:
    """Run ``analyzer`` on every article of ``split`` (the first ``limit``) and score its quotes against
    PolNeAR. A missing data directory or split raises ``ValueError``; an analyzer failure on one article is
    counted in ``n_errors`` (that article predicts nothing)."""
    articles = load_split(Path(data_dir) if data_dir else default_data_dir(), split, limit)
    report = PolnearReport()
    total = ArticleCounts()
    errors = stage_warnings = 0
    for article in articles:
        quotes, warned, error = _analysis_quotes(analyzer, article)
        errors += error is not None
        stage_warnings += warned
        predicted = predicted_attributions(quotes)
        counts = count_annotated(article, predicted)
        total.add(counts)
        report.articles.append({
            "name": article.name, "annotators": sorted(article.annotations), "predicted": len(predicted),
            "gold": _round(counts.counts.get("n_gold_attributions", 0)),
            "attribution_overlap_hits": _round(counts.tally("attribution_overlap").hit_gold), "error": error,
        })
    report.figures = figures_from_counts(
        total, n_articles=len(articles), n_ann_files=sum(len(a.annotations) for a in articles),
        n_multi=sum(len(a.annotations) > 1 for a in articles), n_errors=errors, n_stage_warnings=stage_warnings)
    report.figures["split"] = split
    return report


# ----------------------------------------------------------------------------------------------- render


def render(report: PolnearReport) -> str:
    """Plain-text report: counts, the P/R/F1 table, per-kind table, error types and missed cues."""
    figures = report.figures
    lines = [f"PolNeAR attribution ({figures.get('split')} split)"]
    for key in ("n_articles", "n_ann_files", "n_multi_annotator_articles", "n_errors", "n_stage_warnings",
                "n_gold_attributions", "n_predicted_attributions", "kind_agreement"):
        lines.append(f"  {key:<28} {figures.get(key)}")
    lines.append("")
    lines.append(f"  {'figure':<30} {'prec':>6} {'rec':>6} {'f1':>6}")
    rows = [f"{role}_{mode}" for role in (*ROLES, "attribution") for mode in MODES]
    rows += [f"pronoun_source_{mode}" for mode in MODES]
    rows += [f"{kind}_{criterion}" for kind in KINDS for criterion in KIND_CRITERIA]
    for key in rows:
        lines.append(f"  {key:<30} {figures.get(key + '_p', 0):>6.3f} {figures.get(key + '_r', 0):>6.3f} "
                     f"{figures.get(key + '_f1', 0):>6.3f}")
    lines.append("")
    lines.append("  gold / predicted by kind: " + ", ".join(
        f"{k} {figures.get(f'n_gold_{k}')}/{figures.get(f'n_predicted_{k}')}" for k in KINDS))
    lines.append(f"  gold pronoun sources: {figures.get('n_gold_pronoun_sources')}")
    lines.append("")
    lines.append("  error types (matched pairs: why not exact; unmatched: missed/spurious)")
    for key, value in (figures.get("error_types") or {}).items():
        lines.append(f"    {value:>8}  {key}")
    lines.append("  most common cues of missed gold attributions")
    for cue, value in figures.get("top_missed_cues") or ():
        lines.append(f"    {value:>8}  {cue!r}")
    return "\n".join(lines)


__all__ = ["Attribution", "PolnearArticle", "PolnearReport", "Tally", "count_annotated", "count_article",
           "default_data_dir", "figures_from_counts", "gold_kind", "greedy_pairs", "load_split", "normalise",
           "parse_ann", "predicted_attributions", "quoted_characters", "render", "score", "shared_characters"]
