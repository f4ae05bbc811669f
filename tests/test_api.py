"""The REST API over a store of the project's examples: pages, filters, errors, the token, the RUS–PRK shift."""

from __future__ import annotations

import datetime
import warnings
from pathlib import Path

import pytest

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402

from tidings.web.api import create_app  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TOKEN = "test-token-1234"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tidings.pipeline import Analyzer
    from tidings.sources import iter_sources
    from tidings.store import StoreWriter, load, sequential

    path = Path(tmp_path_factory.mktemp("api")) / "examples.duckdb"
    with StoreWriter(path) as writer:
        summary = load(iter_sources(sorted(str(p) for p in EXAMPLES.glob("*.txt"))), writer, sequential(Analyzer()))
    assert summary.ingested == 8
    return path


@pytest.fixture(scope="module")
def client(store: Path) -> TestClient:
    with TestClient(create_app(store, token=TOKEN)) as test_client:
        yield test_client


def test_articles_are_paged_within_bounds(client: TestClient) -> None:
    page = client.get("/api/articles", params={"limit": 3, "offset": 2}).json()
    assert page["total"] == 8 and len(page["items"]) == 3 and page["offset"] == 2
    assert page["items"][0]["published"] <= page["items"][-1]["published"]
    for bad in ({"limit": 0}, {"limit": 501}, {"offset": -1}, {"limit": "many"}):
        answer = client.get("/api/articles", params=bad)
        assert answer.status_code == 422 and answer.json()["error"] == "validation_error"
    assert client.get("/api/articles", params={"limit": 500}).status_code == 200
    assert client.get("/api/articles", params={"offset": 100}).json()["items"] == []


def test_one_article_is_its_full_analysis_and_a_missing_one_is_404(client: TestClient) -> None:
    first = client.get("/api/articles", params={"limit": 1}).json()["items"][0]
    analysis = client.get(f"/api/articles/{first['id']}").json()
    assert analysis["article"]["id"] == first["id"] and analysis["events"]
    event = analysis["events"][0]
    assert analysis["article"]["text"][event["evidence"]["start"]:event["evidence"]["end"]] == event["evidence"]["text"]
    missing = client.get("/api/articles/" + "0" * 64)
    assert missing.status_code == 404 and missing.json() == {
        "status": 404, "error": "not_found", "message": f"no article '{'0' * 64}' in the store"}


@pytest.mark.parametrize("params, check", [
    ({"country": "PRK"}, lambda e: "PRK" in e["source_countries"] + e["target_countries"]),
    ({"actor": "person:vladimir-putin"}, lambda e: "person:vladimir-putin" in e["source_actor_ids"] + e["target_actor_ids"]),
    ({"dyad": "RUS,PRK"}, lambda e: {"RUS", "PRK"} <= set(e["source_countries"] + e["target_countries"])),
    ({"root": "04"}, lambda e: e["cameo_root"] == "04"),
    ({"code": "057"}, lambda e: e["cameo"] == "057"),
    ({"quad_class": 4}, lambda e: e["quad_class"] == 4),
    ({"modality": "negated"}, lambda e: e["modality"] == "negated"),
    ({"status": "unconfirmed"}, lambda e: e["status"] == "unconfirmed"),
    ({"q": "treaty"}, lambda e: "treaty" in e["evidence"]["text"].lower()),
    ({"date_from": "2024-06-01", "date_to": "2024-06-30"}, lambda e: e["date"]["value"].startswith("2024-06")),
])
def test_each_event_filter_keeps_only_matching_events(client: TestClient, params: dict, check) -> None:
    everything = client.get("/api/events", params={"limit": 500}).json()["total"]
    page = client.get("/api/events", params={**params, "limit": 500}).json()
    assert 0 < page["total"] < everything, params
    assert all(check(item["event"]) for item in page["items"]), params


def test_bad_filters_are_typed_errors(client: TestClient) -> None:
    assert client.get("/api/events", params={"dyad": "RUS"}).json()["error"] == "bad_request"
    assert client.get("/api/events", params={"quad_class": 5}).status_code == 422
    assert client.get("/api/events", params={"modality": "maybe"}).status_code == 422
    assert client.get("/api/events", params={"date_from": "June"}).status_code == 422
    assert client.get("/api/dyads/RUS/PRK/series", params={"bucket": "year"}).status_code == 422
    assert client.get("/api/shifts", params={"a": "RUS"}).status_code == 400
    assert client.get("/nowhere").status_code == 404


@pytest.mark.parametrize("attack", ["RUS') OR 1=1 --", "x' UNION SELECT text FROM store.articles --",
                                    "%", "_", "'; DROP TABLE events; --"])
def test_sql_injection_through_filters_finds_nothing_and_breaks_nothing(client: TestClient, attack: str) -> None:
    for path, name in (("/api/events", "country"), ("/api/events", "actor"), ("/api/quotes", "speaker"),
                       ("/api/claims", "country"), ("/api/actors", "country")):
        answer = client.get(path, params={name: attack})
        assert answer.status_code == 200 and answer.json()["total"] == 0, (path, name)
    assert client.get("/api/events", params={"q": attack}).json()["total"] == 0  # wildcards are literal
    assert client.get("/api/events", params={"dyad": f"{attack},PRK"}).json()["total"] == 0
    assert client.get(f"/api/dyads/{attack}/PRK/series").json()["points"] == []
    assert client.get("/api/articles").json()["total"] == 8  # nothing dropped


def test_dyad_series_endpoint(client: TestClient) -> None:
    series = client.get("/api/dyads/RUS/PRK/series", params={"bucket": "month"}).json()
    assert series["bucket"] == "month" and series["modalities"] == ["asserted"]
    assert series["points"][0]["start"] == "2023-07-01"
    directed = client.get("/api/dyads/RUS/PRK/series", params={"directed": True}).json()
    assert sum(p["events"] for p in directed["points"]) < sum(p["events"] for p in series["points"])
    with_more = client.get("/api/dyads/RUS/PRK/series", params=[("modality", "asserted"), ("modality", "hypothetical")])
    assert sum(p["events"] for p in with_more.json()["points"]) > sum(p["events"] for p in series["points"])


def test_russia_north_korea_rapprochement_is_detected_with_evidence(client: TestClient) -> None:
    """Done-when figure: over the examples, the RUS–PRK dyad shows a rapprochement, in the months of the
    examples' cooperative events (2023-07 … 2024-11), with the evidence sentences behind it."""
    shifts = client.get("/api/shifts", params={"a": "RUS", "b": "PRK"}).json()
    rapprochements = [shift for shift in shifts if shift["label"] == "rapprochement"]
    assert rapprochements, shifts
    shift = rapprochements[0]
    start = datetime.date.fromisoformat(shift["start"])
    assert datetime.date(2023, 7, 1) <= start <= datetime.date(2024, 11, 1)
    assert shift["after_mean"] > shift["before_mean"] and shift["score"] > 0
    assert shift["events"] and all(event["evidence"] for event in shift["events"])
    assert any("treaty" in event["evidence"].lower() or "pact" in event["evidence"].lower()
               for event in shift["events"])
    assert all(datetime.date.fromisoformat(event["date"]) >= start for event in shift["events"])
    strongest = client.get("/api/shifts", params={"limit": 5}).json()
    assert any({s["a"], s["b"]} == {"RUS", "PRK"} and s["label"] == "rapprochement" for s in strongest)


def test_actors_quotes_claims_and_stories(client: TestClient) -> None:
    actors = client.get("/api/actors", params={"limit": 5}).json()["items"]
    assert actors[0]["quotes"] >= actors[-1]["quotes"] and actors[0]["talks_about"]
    quotes = client.get("/api/quotes", params={"country": "USA"}).json()
    assert quotes["total"] and all("USA" in item["quote"]["speaker"]["countries"] for item in quotes["items"])
    anonymous = client.get("/api/claims", params={"single_anonymous": True}).json()
    assert anonymous["total"] and all(item["single_anonymous_source"] and item["claim"]["anonymous"]
                                      for item in anonymous["items"])
    assert client.get("/api/stories").json() == {"items": [], "total": 0, "limit": 50, "offset": 0}
    assert "/api/events" in client.get("/openapi.json").json()["paths"]


def test_analyze_needs_the_operators_token_and_bounds_the_body(client: TestClient, store: Path) -> None:
    body = {"text": "Russia and North Korea signed an agreement on Tuesday.", "published": "2024-06-20"}
    assert client.post("/api/analyze", json=body).status_code == 401
    assert client.post("/api/analyze", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 403
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert client.post("/api/analyze", content=b"x" * 1_000_001, headers=auth).status_code == 413
    assert client.post("/api/analyze", content=b"{not json", headers=auth).status_code == 422
    assert client.post("/api/analyze", json={"text": ""}, headers=auth).status_code == 422
    answer = client.post("/api/analyze", json=body, headers=auth)
    assert answer.status_code == 200 and answer.json()["events"]
    with TestClient(create_app(store, token="")) as no_token:  # the operator set none: analysis is off
        assert no_token.post("/api/analyze", json=body, headers=auth).status_code == 403
