"""A readable terminal view of one analysis (rich): actors, quotes, events and claims with their evidence."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from .records import Analysis

MODALITY_STYLE = {"asserted": "green", "negated": "red", "hypothetical": "magenta", "future": "cyan",
                  "planned": "cyan", "historical": "dim"}


def _short(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_pretty(analysis: Analysis, console: Console) -> None:
    article = analysis.article
    actors = {a.id: a for a in analysis.actors}

    def names(ids: list[str]) -> str:
        return ", ".join(actors[i].name if i in actors else i for i in ids) or "—"

    header = f"[bold]{article.title or article.source or 'article'}[/bold]\n"
    header += f"published {article.published or 'unknown'} · language {article.language or '?'} · " \
              f"{len(article.text)} characters · {len(article.removed)} parts removed"
    for removal in article.removed[:6]:
        header += f"\n  [dim]removed ({removal.reason}): {_short(removal.text, 80)}[/dim]"
    console.print(Panel(header, title=article.source or "", expand=True))

    table = Table(title="Actors", show_lines=False, expand=True)
    for column in ("actor", "kind", "country", "sector", "role", "mentions"):
        table.add_column(column)
    counts: dict[str, int] = {}
    for mention in analysis.mentions:
        if mention.actor_id:
            counts[mention.actor_id] = counts.get(mention.actor_id, 0) + 1
    for actor in sorted(analysis.actors, key=lambda a: -counts.get(a.id, 0)):
        table.add_row(actor.name, actor.kind, actor.country or "", actor.sector or "", actor.role or "",
                      str(counts.get(actor.id, 0)))
    console.print(table)

    table = Table(title="Quotes", expand=True)
    for column in ("id", "kind", "speaker", "content"):
        table.add_column(column)
    for quote in analysis.quotes:
        speaker = names(quote.speaker.actor_ids)
        if quote.speaker.anonymous:
            speaker += " [yellow](anonymous)[/yellow]"
        if quote.follow_on:
            speaker += " [dim](follow-on)[/dim]"
        table.add_row(quote.id, quote.kind, speaker, _short(quote.content.text))
    console.print(table)

    # Events read better as short blocks than as a wide table: one line of who-did-what, one of evidence.
    console.print("[bold]Events[/bold]")
    for event in analysis.events:
        style = MODALITY_STYLE.get(event.modality, "")
        source = "/".join(event.source_countries) or names(event.source_actor_ids)
        target = "/".join(event.target_countries) or names(event.target_actor_ids) or "—"
        line = f"{event.id:>4} [bold]{event.cameo}[/bold] {event.cameo_name}"
        if event.plover:
            line += f" ({event.plover})"
        line += f"  {source} → {target}  [{style}]{event.modality}[/{style}]"
        line += f"  {event.date.value or '?'}"
        if event.date.date_from != "clause":
            line += f" [dim]({event.date.date_from})[/dim]"
        if event.place:
            line += f"  @ {event.place.name}"
        if event.attributed_to:
            line += f"  [dim]per[/dim] {names(event.attributed_to.actor_ids) or event.attributed_to.descriptor}"
        if event.status and event.status != "asserted":
            line += f"  [{'yellow' if event.status != 'confirmed' else 'green'}]{event.status}[/]"
        console.print(line)
        console.print(f"       [dim]{_short(event.evidence.text, 140)}[/dim]")
        console.print(f"       [dim]trigger “{event.trigger.text}” · {event.rule}[/dim]")
    console.print()

    table = Table(title="Claims", expand=True)
    for column in ("id", "status", "source", "claim"):
        table.add_column(column)
    for claim in analysis.claims:
        table.add_row(claim.id, claim.status, names(claim.source_actor_ids), _short(claim.span.text))
    console.print(table)

    table = Table(title="Times and places", expand=True)
    for column in ("text", "value / resolved", "kind"):
        table.add_column(column)
    for timex in analysis.timexes:
        table.add_row(timex.text, timex.value, timex.type)
    for place in analysis.places:
        where = f"{place.name} ({place.country or '?'})"
        if place.lat is not None:
            where += f" {place.lat:.2f},{place.lon:.2f}"
        table.add_row(place.text, where, place.feature or "place")
    console.print(table)
    for warning in analysis.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")
