"""Score story clustering (:mod:`tidings.stories`) as cross-document event coreference on ECB+.

Setting: gold event mentions, topics given (the standard "gold mentions" evaluation). For every document
the checked sentences are joined into a text (one paragraph per sentence) that spaCy parses; each gold
mention becomes an :class:`~tidings.stories.EventMention` whose trigger lemma is the lemma of its
syntactic head, whose evidence is the content lemmas of its sentence and whose context is the content
lemmas of its document. Where tidings' event coder codes an event on the mention's tokens, the mention
carries that CAMEO code, PLOVER category and source/target countries. Mentions are clustered within each
topic by :func:`tidings.stories.cluster_mentions` and scored with MUC, B³, CEAF-e and CoNLL F1 over all
topics at once, beside the same-lemma baseline (one cluster per head lemma per topic).

ECB+ convention: topics 1-35 train/dev (the only ones the parameters in ``data/stories.json`` were tuned
on), 36-45 test. The headline figures are the test topics'; ``all_*`` figures cover every topic.
Entry point: :func:`evaluate_ecb`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..stories.cluster import EventMention, cluster_mentions
from ..stories.config import StoryConfig, load_config
from .coref_metrics import conll
from .ecb_corpus import EcbDocument, GoldMention, read_corpus
from .shared import shared_data

TEST_TOPICS = frozenset(range(36, 46))


def default_data_dir() -> Path:
    """``../shared/data/ecbplus`` beside the repository."""
    return shared_data("ecbplus")


def _document_text(document: EcbDocument) -> tuple[str, dict[int, tuple[int, int]], dict[int, tuple[int, int]]]:
    """The checked-and-mentioned sentences as paragraphs, with char offsets of each token and sentence."""
    wanted = sorted({mention.sentence for mention in document.mentions})
    parts: list[str] = []
    tokens: dict[int, tuple[int, int]] = {}
    sentences: dict[int, tuple[int, int]] = {}
    offset = 0
    for number in wanted:
        start = offset
        for t_id, word in document.sentences.get(number, []):
            word = word.strip() or "_"
            if offset > start:
                parts.append(" ")
                offset += 1
            tokens[t_id] = (offset, offset + len(word))
            parts.append(word)
            offset += len(word)
        sentences[number] = (start, offset)
        parts.append("\n\n")
        offset += 2
    return "".join(parts), tokens, sentences


def _content_lemmas(span: Any) -> str:
    return " ".join(t.lemma_.lower() for t in span if t.is_alpha and not t.is_stop)


def _coded_events(analyzer: Any, text: str) -> list[tuple[int, int, Any]]:
    """(start, end, event) of tidings' events, in ``text``'s offsets (clean text may drop or move lines)."""
    try:
        analysis = analyzer.analyze(text)
    except Exception:  # noqa: BLE001 - an input the ingester refuses simply carries no CAMEO codes
        return []
    clean = analysis.article.text
    found = []
    for event in analysis.events:
        start = event.trigger.start
        if clean != text:
            line_start = clean.rfind("\n", 0, start) + 1
            line_end = clean.find("\n", start)
            line = clean[line_start:line_end if line_end >= 0 else len(clean)]
            where = text.find(line)
            if not line or where < 0:
                continue
            start = where + (start - line_start)
        found.append((start, start + len(event.trigger.text), event))
    return found


def document_mentions(document: EcbDocument, nlp: Any, analyzer: Any | None) -> list[EventMention]:
    """Clustering input for a document's gold mentions."""
    text, token_offsets, sentence_offsets = _document_text(document)
    doc = nlp(text)
    context = _content_lemmas(doc)
    events = _coded_events(analyzer, text) if analyzer is not None else []
    mentions = []
    for gold in document.mentions:
        offsets = [token_offsets[t] for t in gold.token_ids if t in token_offsets]
        if not offsets:
            continue
        start, end = offsets[0][0], offsets[-1][1]
        span = doc.char_span(start, end, alignment_mode="expand")
        lemma = span.root.lemma_.lower() if span is not None and len(span) else text[start:end].lower()
        sentence = doc.char_span(*sentence_offsets[gold.sentence], alignment_mode="expand")
        event = next((e for s, t, e in events if s < end and start < t), None)
        mentions.append(EventMention(
            id=gold.id, doc_id=document.name, trigger_lemma=lemma,
            cameo=event.cameo if event else None, cameo_root=event.cameo_root if event else None,
            plover=event.plover if event else None,
            source=frozenset(event.source_countries) if event else frozenset(),
            target=frozenset(event.target_countries) if event else frozenset(),
            evidence=_content_lemmas(sentence) if sentence is not None else "", context=context))
    return mentions


def load_topics(data_dir: Path, *, limit_topics: int | None = None, use_coder: bool = True,
                nlp: Any = None) -> dict[int, tuple[list[EventMention], list[GoldMention]]]:
    """Per topic: the clustering input and the gold mentions (raises ValueError on unreadable data)."""
    if not (data_dir / "ECBplus.tar.gz").exists():
        raise ValueError(f"no ECBplus.tar.gz in {data_dir}")
    from ..nlp import load_nlp

    nlp = nlp or load_nlp()
    analyzer = None
    if use_coder:
        from ..pipeline import Analyzer

        analyzer = Analyzer()
    by_topic: dict[int, list[EcbDocument]] = defaultdict(list)
    try:
        for document in read_corpus(data_dir):
            by_topic[document.topic].append(document)
    except (OSError, EOFError) as error:
        raise ValueError(f"cannot read {data_dir / 'ECBplus.tar.gz'}: {error}") from None
    topics = sorted(by_topic)[:limit_topics] if limit_topics else sorted(by_topic)
    loaded = {}
    for topic in topics:
        mentions = [m for d in by_topic[topic] for m in document_mentions(d, nlp, analyzer)]
        gold = [g for d in by_topic[topic] for g in d.mentions]
        loaded[topic] = (mentions, gold)
    return loaded


def gold_clusters(gold: Iterable[GoldMention]) -> list[list[str]]:
    clusters: dict[str, list[str]] = defaultdict(list)
    for mention in gold:
        clusters[mention.cluster].append(mention.id)
    return list(clusters.values())


def same_lemma_clusters(mentions: Sequence[EventMention]) -> list[list[str]]:
    clusters: dict[str, list[str]] = defaultdict(list)
    for mention in mentions:
        clusters[mention.trigger_lemma].append(mention.id)
    return list(clusters.values())


def score_topics(loaded: dict[int, tuple[list[EventMention], list[GoldMention]]], topics: Iterable[int],
                 config: StoryConfig) -> dict[str, float]:
    """System and baseline figures over the given topics (clusters never cross topics)."""
    key: list[list[str]] = []
    system: list[list[str]] = []
    baseline: list[list[str]] = []
    mentions_total = 0
    for topic in topics:
        if topic not in loaded:
            continue
        mentions, gold = loaded[topic]
        mentions_total += len(mentions)
        key += gold_clusters(gold)
        system += cluster_mentions(mentions, config)
        baseline += same_lemma_clusters(mentions)
    figures = conll(key, system)
    figures.update({f"baseline_{name}": value for name, value in conll(key, baseline).items()})
    figures["mentions"] = mentions_total
    figures["gold_clusters"] = len(key)
    return figures


def evaluate_ecb(data_dir: Path, *, limit_topics: int | None = None, config: StoryConfig | None = None,
                 use_coder: bool = True) -> dict[str, Any]:
    """Headline figures on the test topics (or on all loaded topics when none of them is a test topic),
    plus ``all_*`` over every loaded topic."""
    config = config or load_config()
    loaded = load_topics(data_dir, limit_topics=limit_topics, use_coder=use_coder)
    test = [t for t in loaded if t in TEST_TOPICS] or list(loaded)
    figures: dict[str, Any] = {key: round(value, 4) if isinstance(value, float) else value
                               for key, value in score_topics(loaded, test, config).items()}
    figures["topics"] = test
    figures.update({f"all_{key}": round(value, 4) if isinstance(value, float) else value
                    for key, value in score_topics(loaded, loaded, config).items()})
    return figures


def render(figures: dict[str, Any]) -> str:
    lines = [f"ECB+ cross-document event coreference, gold mentions, topics {figures['topics']}",
             f"{'metric':<10}{'tidings':>9}{'lemma':>9}"]
    for name in ("muc_f1", "b3_f1", "ceafe_f1", "conll_f1"):
        lines.append(f"{name:<10}{figures[name]:>9.3f}{figures['baseline_' + name]:>9.3f}")
    lines.append(f"all topics: conll_f1 {figures['all_conll_f1']:.3f} (lemma baseline {figures['all_baseline_conll_f1']:.3f})")
    return "\n".join(lines)
