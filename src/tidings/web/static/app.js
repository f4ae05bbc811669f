// The tidings dashboard: plain JavaScript over the store's REST API, charts drawn as inline SVG.
// Rule kept everywhere below: data from the store (article text, names, evidence) reaches the page only as
// text nodes or attribute values, never as HTML, so an article that contains markup shows it as text.
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";
const PAGE = 500;                 // the API's largest page
const MAX_EVENTS = 20000;         // the network and map read at most this many events
const QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"};

// ---------- small DOM helpers (text only, never innerHTML) ----------

function build(namespace, tag, attrs, children) {
  const node = namespace ? document.createElementNS(namespace, tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}
const h = (tag, attrs, ...children) => build(null, tag, attrs, children);
const svg = (tag, attrs, ...children) => build(SVG_NS, tag, attrs, children);

function clear(node) { node.replaceChildren(); return node; }

function setStatus(message, isError = false) {
  const status = document.getElementById("status");
  status.textContent = message || "";
  status.classList.toggle("error", Boolean(isError));
}

// ---------- the API ----------

async function api(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== null && value !== undefined) query.set(key, value);
  const url = path + (query.toString() ? "?" + query : "");
  const answer = await fetch(url, {headers: {Accept: "application/json"}});
  const body = await answer.json().catch(() => ({}));
  if (!answer.ok) throw new Error(body.message || `${url} answered ${answer.status}`);
  return body;
}

async function allItems(path, params = {}, cap = MAX_EVENTS) {
  const items = [];
  for (let offset = 0; offset < cap; offset += PAGE) {
    const page = await api(path, {...params, limit: PAGE, offset});
    items.push(...page.items);
    if (items.length >= page.total || page.items.length === 0) break;
  }
  return items;
}

// Loaded once and shared by the views: asserted events (what the series count) and country names.
const cache = {};
function assertedEvents() {
  cache.events ??= allItems("/api/events", {modality: "asserted"});
  return cache.events;
}
function countryNames() {
  cache.names ??= allItems("/api/actors", {kind: "state"}, 2000)
    .then(actors => new Map(actors.map(actor => [actor.country || actor.actor_id, actor.name])))
    .catch(() => new Map());
  return cache.names;
}

// ---------- formatting ----------

const signed = value => (value === null || value === undefined) ? "–" : (value > 0 ? "+" : "") + value.toFixed(1);
const month = isoDate => isoDate.slice(0, 7);
function monthEnd(isoStart) {
  const [year, monthNumber] = isoStart.split("-").map(Number);
  const lastDay = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  return `${isoStart.slice(0, 8)}${String(lastDay).padStart(2, "0")}`;
}
function toneClass(goldstein) {
  if (goldstein > 0.05) return "coop";
  if (goldstein < -0.05) return "conflict";
  return "neutral";
}
const articleHref = (articleId, recordId) =>
  `#article/${encodeURIComponent(articleId)}` + (recordId ? `?record=${encodeURIComponent(recordId)}` : "");

function eventList(items, emptyText) {
  if (!items.length) return h("p", {class: "empty"}, emptyText);
  return h("ul", {class: "event-list"}, items.map(item => {
    const event = item.event;
    const who = `${event.source_countries.join("/") || "?"} → ${event.target_countries.join("/") || "?"}`;
    return h("li", {class: "event-item", "data-event": event.id},
      h("div", {class: "event-head"},
        h("span", {class: "date"}, event.date?.value || item.published || ""),
        h("span", {class: "code"}, `${event.cameo} ${event.cameo_name || ""}`),
        h("span", {class: `tone ${toneClass(event.goldstein)}`}, `Goldstein ${signed(event.goldstein)}`),
        h("span", {class: "who"}, who)),
      h("blockquote", {class: "evidence"}, event.evidence.text),
      h("a", {class: "article-link", href: articleHref(item.article_id, event.id)},
        `Read in article: ${item.article_title || item.article_id.slice(0, 12)}`));
  }));
}

// ---------- dyad timeline ----------

async function fillDyadPickers(wantedA, wantedB) {
  const pickA = document.getElementById("dyad-a"), pickB = document.getElementById("dyad-b");
  if (!pickA.options.length) {
    const [events, names] = await Promise.all([assertedEvents(), countryNames()]);
    const counts = new Map();
    for (const {event} of events)
      for (const code of [...event.source_countries, ...event.target_countries]) counts.set(code, (counts.get(code) || 0) + 1);
    const codes = [...counts.keys()].sort();
    for (const pick of [pickA, pickB])
      for (const code of codes)
        pick.append(h("option", {value: code}, names.has(code) ? `${code} — ${names.get(code)}` : code));
  }
  const codes = [...pickA.options].map(option => option.value);
  pickA.value = codes.includes(wantedA) ? wantedA : codes[0] || "";
  pickB.value = codes.includes(wantedB) ? wantedB : codes.find(code => code !== pickA.value) || "";
  return [pickA.value, pickB.value];
}

async function showTimeline(params) {
  const [a, b] = await fillDyadPickers(params.get("a") || "RUS", params.get("b") || "PRK");
  const chart = document.getElementById("series-chart");
  clear(document.getElementById("month-events"));
  if (!a || !b) { clear(chart).append(h("p", {class: "empty"}, "The store has no events between countries yet.")); return; }
  const [series, shifts] = await Promise.all([
    api(`/api/dyads/${encodeURIComponent(a)}/${encodeURIComponent(b)}/series`, {bucket: "month", fill: "true"}),
    api("/api/shifts", {a, b, bucket: "month"}),
  ]);
  drawn.series = () => clear(chart).append(seriesChart(series, shifts, start => showMonth(a, b, start), chart.clientWidth));
  drawn.series();
  chart.dataset.dyad = `${a}-${b}`;
  const list = clear(document.getElementById("shift-list"));
  for (const shift of shifts)
    list.append(h("li", {class: `shift ${shift.label}`},
      h("strong", {}, `${shift.label} from ${month(shift.start)}`),
      ` — mean Goldstein ${signed(shift.before_mean)} → ${signed(shift.after_mean)} ` +
      `(${shift.before_events} events before, ${shift.after_events} after)`));
  if (!shifts.length) list.append(h("li", {class: "empty"}, "No shift detected for this dyad."));
}

// The chart is drawn at the width it is shown (within bounds), so its text stays legible on a phone.
function seriesChart(series, shifts, onPick, shownWidth) {
  const points = series.points;
  if (!points.length) return h("p", {class: "empty"}, `No asserted events between ${series.a} and ${series.b}.`);
  const width = Math.max(320, Math.min(960, shownWidth || 720)), height = 320, left = 40, right = 44, top = 34, bottom = 44;
  const plotW = width - left - right, plotH = height - top - bottom, band = plotW / points.length;
  const maxCount = Math.max(1, ...points.map(point => point.events));
  const countY = count => top + plotH - (count / maxCount) * plotH;
  const toneY = value => top + plotH / 2 - (value / 10) * (plotH / 2);  // Goldstein runs −10 … +10
  const x = index => left + band * index + band / 2;
  const chart = svg("svg", {viewBox: `0 0 ${width} ${height}`, class: "series", role: "img",
                            "aria-label": `Monthly events and mean Goldstein, ${series.a}–${series.b}`});

  // Axes: counts on the left, Goldstein on the right, a zero line for tone.
  chart.append(svg("line", {x1: left, x2: width - right, y1: toneY(0), y2: toneY(0), class: "zero"}));
  for (const value of [-10, -5, 5, 10])
    chart.append(svg("text", {x: width - right + 4, y: toneY(value) + 4, class: "axis"}, signed(value).replace(".0", "")));
  chart.append(svg("text", {x: left - 6, y: top + 4, class: "axis end"}, String(maxCount)));
  chart.append(svg("text", {x: left - 6, y: top + plotH + 4, class: "axis end"}, "0"));

  // Stacked bars by QuadClass.
  const barW = Math.max(2, band * 0.6);
  points.forEach((point, index) => {
    let base = 0;
    for (const quad of [1, 2, 3, 4]) {
      const count = point.quad_class[String(quad)] || 0;
      if (!count) continue;
      chart.append(svg("rect", {x: x(index) - barW / 2, y: countY(base + count), width: barW,
                                height: countY(base) - countY(base + count), class: `bar q${quad}`},
        svg("title", {}, `${month(point.start)}: ${count} ${QUAD_NAMES[quad]}`)));
      base += count;
    }
  });

  // Month labels, thinned so they never overlap.
  const step = Math.ceil(points.length / Math.max(2, Math.floor(plotW / 64)));
  points.forEach((point, index) => {
    if (index % step === 0)
      chart.append(svg("text", {x: x(index), y: height - bottom + 16, class: "axis middle"}, month(point.start)));
  });

  // Shift markers at the first month of each shift.
  for (const shift of shifts) {
    const index = points.findIndex(point => point.start === shift.start);
    if (index < 0) continue;
    const at = left + band * index;
    chart.append(svg("g", {class: `shift-marker ${shift.label}`, "data-label": shift.label, "data-start": shift.start},
      svg("line", {x1: at, x2: at, y1: top - 8, y2: top + plotH}),
      svg("text", {x: Math.min(at + 3, width - right - 150), y: top - 12}, `${shift.label} ${month(shift.start)}`)));
  }

  // Mean Goldstein line over the months that have events, and one clickable point a month.
  const toned = points.map((point, index) => [point, index]).filter(([point]) => point.goldstein_mean !== null);
  if (toned.length > 1)
    chart.append(svg("polyline", {class: "tone-line",
                                  points: toned.map(([point, index]) => `${x(index)},${toneY(point.goldstein_mean)}`).join(" ")}));
  points.forEach((point, index) => {
    const label = `${month(point.start)}: ${point.events} events, mean Goldstein ${signed(point.goldstein_mean)}`;
    const pick = () => onPick(point.start);
    const hit = svg("rect", {x: left + band * index, y: top, width: band, height: plotH, class: "hit",
                             tabindex: 0, role: "button", "aria-label": label,
                             onclick: pick, onkeydown: event => { if (event.key === "Enter" || event.key === " ") pick(); }},
      svg("title", {}, label));
    chart.append(hit);
    if (point.goldstein_mean !== null)
      chart.append(svg("circle", {cx: x(index), cy: toneY(point.goldstein_mean), r: 6, class: `point ${toneClass(point.goldstein_mean)}`,
                                  "data-month": point.start, "data-events": point.events,
                                  "data-goldstein": point.goldstein_mean, onclick: pick},
        svg("title", {}, label)));
  });
  return chart;
}

async function showMonth(a, b, start) {
  const target = clear(document.getElementById("month-events"));
  target.append(h("p", {class: "empty"}, "Loading…"));
  const page = await api("/api/events", {dyad: `${a},${b}`, date_from: start, date_to: monthEnd(start),
                                         modality: "asserted", limit: PAGE});
  clear(target).append(h("h3", {}, `${a}–${b} in ${month(start)}: ${page.total} events`),
                       eventList(page.items, "No asserted events this month."));
  target.scrollIntoView({behavior: "smooth", block: "start"});
}

// ---------- actor network ----------

function countryPairs(events) {
  const pairs = new Map();
  for (const {event} of events)
    for (const source of event.source_countries)
      for (const target of event.target_countries) {
        if (source === target) continue;
        const [a, b] = [source, target].sort();
        const pair = pairs.get(`${a}|${b}`) || {a, b, events: 0, goldstein: 0};
        pair.events += 1;
        pair.goldstein += event.goldstein || 0;
        pairs.set(`${a}|${b}`, pair);
      }
  return [...pairs.values()];
}

async function showNetwork() {
  const [events, names] = await Promise.all([assertedEvents(), countryNames()]);
  const pairs = countryPairs(events);
  const target = clear(document.getElementById("network-chart"));
  if (!pairs.length) { target.append(h("p", {class: "empty"}, "No events between countries yet.")); return; }
  const weight = new Map();
  for (const pair of pairs) for (const code of [pair.a, pair.b]) weight.set(code, (weight.get(code) || 0) + pair.events);
  const nodes = [...weight.keys()].sort((one, two) => weight.get(two) - weight.get(one));
  // A circular layout: readable for the few dozen countries a corpus names, and stable between loads.
  const size = 600, centre = size / 2, radius = 220;
  const place = new Map(nodes.map((code, index) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * index) / nodes.length;
    return [code, [centre + radius * Math.cos(angle), centre + radius * Math.sin(angle)]];
  }));
  const maxEvents = Math.max(...pairs.map(pair => pair.events));
  const chart = svg("svg", {viewBox: `0 0 ${size} ${size}`, class: "network", role: "img",
                            "aria-label": "Countries linked by the events between them"});
  for (const pair of pairs.sort((one, two) => one.events - two.events)) {
    const [x1, y1] = place.get(pair.a), [x2, y2] = place.get(pair.b);
    const mean = pair.goldstein / pair.events;
    chart.append(svg("line", {x1, y1, x2, y2, class: `edge ${toneClass(mean)}`, "data-pair": `${pair.a}-${pair.b}`,
                              "stroke-width": 1.5 + 10 * Math.sqrt(pair.events / maxEvents),
                              onclick: () => { location.hash = `#timeline?a=${encodeURIComponent(pair.a)}&b=${encodeURIComponent(pair.b)}`; }},
      svg("title", {}, `${pair.a}–${pair.b}: ${pair.events} events, mean Goldstein ${signed(mean)}`)));
  }
  const maxWeight = Math.max(...weight.values());
  for (const code of nodes) {
    const [cx, cy] = place.get(code);
    const outward = cx >= centre ? 1 : -1;
    chart.append(svg("g", {class: "node", "data-country": code},
      svg("circle", {cx, cy, r: 6 + 14 * Math.sqrt(weight.get(code) / maxWeight)},
        svg("title", {}, `${names.get(code) || code}: ${weight.get(code)} events`)),
      svg("text", {x: cx + outward * 24, y: cy + 4, class: outward > 0 ? "start" : "end"}, code)));
  }
  target.append(chart);
}

// ---------- map of event places ----------

// A deliberately coarse, hand-drawn outline of the continents ([lon, lat] rings) so points have context
// without any downloaded map data. It is a sketch, not geography.
const COASTS = [
  [[-168, 66], [-140, 70], [-95, 72], [-80, 64], [-60, 55], [-66, 45], [-75, 35], [-81, 25], [-97, 27], [-97, 18],
   [-87, 15], [-80, 8], [-90, 14], [-105, 20], [-117, 32], [-124, 40], [-124, 48], [-135, 58], [-152, 60], [-165, 55]],
  [[-80, 9], [-75, 11], [-62, 11], [-50, 0], [-35, -7], [-40, -22], [-48, -28], [-58, -38], [-65, -42], [-68, -55],
   [-73, -50], [-73, -38], [-71, -18], [-81, -5]],
  [[-10, 36], [-9, 43], [-2, 44], [-5, 48], [2, 51], [8, 54], [10, 58], [5, 62], [15, 69], [28, 71], [40, 67],
   [60, 70], [80, 73], [105, 78], [140, 72], [180, 69], [178, 63], [160, 60], [156, 51], [140, 53], [135, 43],
   [129, 35], [126, 37], [125, 40], [122, 40], [121, 31], [118, 24], [108, 21], [106, 10], [100, 13], [98, 8],
   [92, 22], [80, 15], [77, 8], [73, 20], [67, 24], [57, 26], [56, 22], [52, 17], [44, 12], [35, 28], [34, 31],
   [36, 36], [27, 37], [26, 41], [23, 38], [19, 41], [14, 45], [12, 44], [15, 40], [8, 44], [3, 43]],
  [[-17, 21], [-6, 35], [10, 37], [20, 31], [32, 31], [35, 27], [43, 12], [51, 12], [40, -2], [40, -15], [32, -28],
   [20, -35], [15, -27], [12, -6], [9, 4], [-8, 4], [-17, 14]],
  [[114, -22], [129, -15], [136, -12], [142, -11], [146, -19], [153, -26], [150, -37], [140, -38], [130, -32],
   [115, -34]],
  [[130, 31], [132, 34], [140, 36], [141, 41], [145, 44], [141, 45], [139, 38], [133, 35]],
  [[-5, 50], [1, 51], [-2, 56], [-3, 58], [-6, 57], [-5, 54]],
];

function placeGroups(events) {
  const groups = new Map();
  for (const item of events) {
    const place = item.event.place;
    if (!place || place.lat === null || place.lon === null || place.lat === undefined) continue;
    const key = `${place.name}|${place.lat}|${place.lon}`;
    const group = groups.get(key) || {name: place.name, lat: place.lat, lon: place.lon, items: [], goldstein: 0};
    group.items.push(item);
    group.goldstein += item.event.goldstein || 0;
    groups.set(key, group);
  }
  return [...groups.values()];
}

async function showMap() {
  const groups = placeGroups(await assertedEvents());
  const target = clear(document.getElementById("map-chart"));
  clear(document.getElementById("place-events"));
  if (!groups.length) { target.append(h("p", {class: "empty"}, "No event has a known place yet.")); return; }
  // Equirectangular: x = lon + 180, y = 90 − lat; the view fits the points with a margin.
  const pad = 20;
  // Labels sit right of their points, so the view keeps more room on the east.
  let west = Math.min(...groups.map(g => g.lon)) - pad, east = Math.max(...groups.map(g => g.lon)) + 1.5 * pad;
  let south = Math.min(...groups.map(g => g.lat)) - pad, north = Math.max(...groups.map(g => g.lat)) + pad;
  if (east - west < 60) { const mid = (east + west) / 2; west = mid - 30; east = mid + 30; }
  if (north - south < 30) { const mid = (north + south) / 2; south = mid - 15; north = mid + 15; }
  // Not too letterboxed on a phone: at most about 2.2 times as wide as high.
  if (north - south < (east - west) / 2.2) {
    const mid = (north + south) / 2, half = (east - west) / 4.4; south = mid - half; north = mid + half;
  }
  west = Math.max(-180, west); east = Math.min(180, east); south = Math.max(-90, south); north = Math.min(90, north);
  const project = (lon, lat) => [lon + 180, 90 - lat];
  const chart = svg("svg", {viewBox: `${west + 180} ${90 - north} ${east - west} ${north - south}`, class: "map",
                            role: "img", "aria-label": "Places of the events"});
  chart.append(svg("rect", {x: 0, y: 0, width: 360, height: 180, class: "sea"}));
  for (const ring of COASTS)
    chart.append(svg("polygon", {class: "land", points: ring.map(([lon, lat]) => project(lon, lat).join(",")).join(" ")}));
  for (let lon = -180; lon <= 180; lon += 30)
    chart.append(svg("line", {x1: lon + 180, x2: lon + 180, y1: 0, y2: 180, class: "graticule"}));
  for (let lat = -60; lat <= 60; lat += 30)
    chart.append(svg("line", {x1: 0, x2: 360, y1: 90 - lat, y2: 90 - lat, class: "graticule"}));
  const unit = (east - west) / 160;  // marker and label sizes follow the zoom
  const labelled = [];
  const maxCount = Math.max(...groups.map(g => g.items.length));
  for (const group of groups.sort((one, two) => two.items.length - one.items.length)) {
    const [cx, cy] = project(group.lon, group.lat);
    const mean = group.goldstein / group.items.length;
    const label = `${group.name}: ${group.items.length} events, mean Goldstein ${signed(mean)}`;
    chart.append(svg("circle", {cx, cy, r: unit * (1 + 2 * Math.sqrt(group.items.length / maxCount)),
                                class: `place ${toneClass(mean)}`, "data-place": group.name, tabindex: 0,
                                onclick: () => showPlace(group)},
      svg("title", {}, label)));
    // Busiest places first; a label that would sit on one already drawn is left to the tooltip.
    if (labelled.some(([x, y]) => Math.abs(x - cx) < unit * 12 && Math.abs(y - cy) < unit * 4)) continue;
    labelled.push([cx, cy]);
    chart.append(svg("text", {x: cx + unit * 3.5, y: cy + unit, class: "place-label", "font-size": unit * 2.4}, group.name));
  }
  target.append(chart);
}

function showPlace(group) {
  clear(document.getElementById("place-events")).append(
    h("h3", {}, `${group.name}: ${group.items.length} events`), eventList(group.items, "No events."));
}

// ---------- articles ----------

async function showArticles() {
  const articles = await allItems("/api/articles", {}, 5000);
  const list = clear(document.getElementById("article-list"));
  for (const article of articles)
    list.append(h("li", {},
      h("a", {href: articleHref(article.id)}, article.title || article.id.slice(0, 12)),
      h("span", {class: "meta"}, ` ${article.published || "undated"} · ${article.events} events · ${article.quotes} quotes`)));
  if (!articles.length) list.append(h("li", {class: "empty"}, "The store holds no articles."));
}

// Highlight kinds, outermost first when two spans cover the same text.
const KINDS = ["evidence", "claim", "quote", "place", "actor", "timex", "trigger"];
const KIND_LABELS = {evidence: "event evidence", claim: "claims", quote: "quotes", place: "places",
                     actor: "actors", timex: "times", trigger: "event triggers"};

function articleSpans(analysis, length) {
  const actorName = new Map(analysis.actors.map(actor => [actor.id, actor.name]));
  const spans = [];
  const add = (span, kind, record, title) => { if (span) spans.push({start: span.start, end: span.end, kind, record, title}); };
  for (const mention of analysis.mentions)
    add(mention, "actor", mention.id, actorName.get(mention.actor_id) || mention.actor_id || mention.kind);
  for (const quote of analysis.quotes) add(quote.content, "quote", quote.id, `quote ${quote.id} (${quote.kind})`);
  for (const event of analysis.events) {
    const title = `${event.id}: ${event.cameo} ${event.cameo_name || ""}, Goldstein ${signed(event.goldstein)}`;
    add(event.evidence, "evidence", event.id, title);
    add(event.trigger, "trigger", event.id, title);
  }
  for (const claim of analysis.claims) add(claim.span, "claim", claim.id, `claim ${claim.id}: ${claim.status}`);
  for (const timex of analysis.timexes) add(timex, "timex", timex.id, `${timex.type} ${timex.value || ""}`);
  for (const place of analysis.places) add(place, "place", place.id, `${place.name} (${place.country || "?"})`);
  return spans.filter(span => Number.isInteger(span.start) && Number.isInteger(span.end)
                              && span.start >= 0 && span.start < span.end && span.end <= length);
}

const spanOrder = (one, two) =>
  one.start - two.start || two.end - one.end || KINDS.indexOf(one.kind) - KINDS.indexOf(two.kind);

// The store's offsets count code points (Python); JavaScript strings count UTF-16 units. This maps one to
// the other, so an emoji or other astral character before a span does not shift its highlight.
function codePointSlicer(text) {
  const points = Array.from(text);
  if (points.length === text.length) return (start, end) => text.slice(start, end);
  const unitAt = [0];
  for (const point of points) unitAt.push(unitAt[unitAt.length - 1] + point.length);
  return (start, end) => text.slice(unitAt[start], unitAt[end]);
}

// Renders text[from:to] into parent with spans nested; a span crossing its parent's end is split in two,
// each piece carrying its own offsets, so every highlight's text is exactly text[start:end].
// `slice` cuts the text by code-point offsets.
function renderSpans(parent, slice, from, to, spans) {
  let pending = spans.slice().sort(spanOrder);
  let cursor = from;
  while (pending.length) {
    const outer = pending.shift();
    if (outer.start > cursor) parent.append(slice(cursor, outer.start));
    const inside = [], after = [];
    for (const span of pending) {
      if (span.start >= outer.end) after.push(span);
      else if (span.end <= outer.end) inside.push(span);
      else { inside.push({...span, end: outer.end}); after.push({...span, start: outer.end}); }
    }
    const mark = h("span", {class: `hl hl-${outer.kind}`, "data-kind": outer.kind, "data-record": outer.record,
                            "data-start": outer.start, "data-end": outer.end, title: outer.title});
    renderSpans(mark, slice, outer.start, outer.end, inside);
    parent.append(mark);
    cursor = outer.end;
    pending = after.sort(spanOrder);
  }
  if (cursor < to) parent.append(slice(cursor, to));
}

function scrollToRecord(recordId) {
  const body = document.getElementById("article-text");
  const selector = kind => `[data-record="${CSS.escape(recordId)}"]` + (kind ? `[data-kind="${kind}"]` : "");
  const span = body.querySelector(selector("trigger")) || body.querySelector(selector());
  if (!span) return;
  for (const old of body.querySelectorAll(".flash")) old.classList.remove("flash");
  for (const piece of body.querySelectorAll(selector())) piece.classList.add("flash");
  span.scrollIntoView({behavior: "smooth", block: "center"});
}

function sideSection(title, records, describe) {
  return h("section", {class: "side-section"},
    h("h3", {}, `${title} (${records.length})`),
    records.length ? h("ul", {}, records.map(record => h("li", {},
      h("button", {type: "button", class: "side-item", "data-record": record.id,
                   onclick: () => scrollToRecord(record.id)}, ...describe(record)))))
      : h("p", {class: "empty"}, "none"));
}

async function showArticle(articleId, params) {
  const analysis = await api(`/api/articles/${encodeURIComponent(articleId)}`);
  const article = analysis.article;
  const actorName = new Map(analysis.actors.map(actor => [actor.id, actor.name]));
  const names = ids => ids.map(id => actorName.get(id) || id).join(", ") || "?";
  document.getElementById("article-title").textContent = article.title || "Article";
  const meta = clear(document.getElementById("article-meta"));
  meta.append([article.published || "undated", article.outlet, article.source].filter(Boolean).join(" · "));
  if (article.url && /^https?:\/\//i.test(article.url))  // only web links: never a javascript: URL
    meta.append(" · ", h("a", {href: article.url, rel: "noopener noreferrer"}, "original"));

  const body = clear(document.getElementById("article-text"));
  body.dataset.articleId = article.id;
  const length = Array.from(article.text).length;
  renderSpans(body, codePointSlicer(article.text), 0, length, articleSpans(analysis, length));

  const legend = document.getElementById("legend");
  legend.replaceChildren(h("legend", {}, "Highlight"));
  for (const kind of KINDS) {
    const box = h("input", {type: "checkbox", checked: true, "data-kind": kind,
                            onchange: event => body.classList.toggle(`off-${kind}`, !event.target.checked)});
    legend.append(h("label", {class: `key hl-${kind}`}, box, KIND_LABELS[kind]));
  }
  body.className = "article-text";

  clear(document.getElementById("article-side")).append(
    sideSection("Quotes", analysis.quotes, quote => [
      h("strong", {}, quote.speaker ? names(quote.speaker.actor_ids) : "unattributed"), ": ", quote.content.text]),
    sideSection("Events", analysis.events, event => [
      h("strong", {}, `${event.cameo} ${event.cameo_name || ""}`), ` ${names(event.source_actor_ids)} → ${names(event.target_actor_ids)}`,
      h("span", {class: `tone ${toneClass(event.goldstein)}`}, ` ${signed(event.goldstein)}`),
      h("span", {class: "trigger-text"}, ` “${event.trigger.text}”`)]),
    sideSection("Claims", analysis.claims, claim => [h("strong", {}, claim.status), " ", claim.span.text]));
  if (params.get("record")) scrollToRecord(params.get("record"));
}

// ---------- routing: #timeline?a=RUS&b=PRK, #network, #map, #articles, #article/<id>?record=E3 ----------

// Redrawn when the window is resized: charts whose layout depends on the width shown.
const drawn = {};
let resizeTimer = null;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => { if (!document.getElementById("view-timeline").hidden) drawn.series?.(); }, 150);
});

const VIEWS = {timeline: showTimeline, network: showNetwork, map: showMap, articles: showArticles};

async function route() {
  const [path, query] = (location.hash.replace(/^#/, "") || "timeline").split("?");
  const params = new URLSearchParams(query || "");
  const [view, ...rest] = path.split("/");
  const name = view === "article" && rest.length ? "article" : (VIEWS[view] ? view : "timeline");
  for (const section of document.querySelectorAll(".view")) section.hidden = section.id !== `view-${name}`;
  window.scrollTo(0, 0);
  for (const link of document.querySelectorAll("nav a"))
    link.classList.toggle("active", link.dataset.view === name || (name === "article" && link.dataset.view === "articles"));
  setStatus("Loading…");
  try {
    if (name === "article") await showArticle(decodeURIComponent(rest.join("/")), params);
    else await VIEWS[name](params);
    setStatus("");
  } catch (error) {
    setStatus(`Could not load this view: ${error.message}`, true);
  }
}

document.getElementById("dyad-form").addEventListener("submit", event => {
  event.preventDefault();
  const a = document.getElementById("dyad-a").value, b = document.getElementById("dyad-b").value;
  const wanted = `#timeline?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`;
  if (location.hash === wanted) route(); else location.hash = wanted;
});
window.addEventListener("hashchange", route);
route();
