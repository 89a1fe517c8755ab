"""Finding a place by name: the offline gazetteer in several scripts and spellings, and the
online search against a stub Nominatim on 127.0.0.1 (answers, errors, a timeout, the rate
limit). No request leaves this machine."""

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from geopy.distance import geodesic

from geo.engine import gazetteer, layers, query, zones
from tests.scopes import shared

KHARKIV_ID = "GeoNames 706483"
BELGOROD_ID = "GeoNames 578072"


@pytest.fixture(scope=shared("module"))
def built():
    return layers.layers(zones.Params())


@pytest.mark.parametrize(
    "name",
    [
        "Харків",
        "Харьков",
        "Kharkiv",
        "Kharkov",
        "KHARKIV",
        "  kharkiv ",
        "Khar'kov",
        "Khar’kov",
        "Charków",
    ],
)
def test_kharkiv_in_every_spelling(name):
    best = gazetteer.search(name)[0]
    assert best.source.startswith(KHARKIV_ID) and best.exact and best.name == "Kharkiv"


@pytest.mark.parametrize("name", ["Белгород", "Belgorod", "Бєлгород", "Білгород", "Bélgorod"])
def test_belgorod_in_every_spelling(name):
    assert gazetteer.search(name)[0].source.startswith(BELGOROD_ID)


@pytest.mark.parametrize(
    "name,country",
    [
        ("Chișinău", "MD"),
        ("Кишинёв", "MD"),
        ("Minsk", "BY"),
        ("Вовчанськ", "UA"),
        ("Tbilisi", "GE"),
        ("Warszawa", "PL"),
    ],
)
def test_neighbours(name, country):
    assert gazetteer.search(name)[0].country == country


def test_ranking_exact_first_then_population():
    found = gazetteer.search("Khar", limit=5)
    assert not any(m.exact for m in found)
    populations = [m.population for m in found]
    assert populations == sorted(populations, reverse=True) and found[0].name == "Kharkiv"
    first = gazetteer.search("Kharkiv", limit=5)
    assert first[0].exact and not any(m.exact for m in first[1:])


def test_normalise():
    assert gazetteer.normalise("Chișinău") == gazetteer.normalise("CHISINAU") == "chisinau"
    assert gazetteer.normalise("Khar’kov") == gazetteer.normalise("Kharkov")
    assert gazetteer.normalise("Кишинёв") == gazetteer.normalise("Кишинев")


def test_found_place_is_answered_as_a_click(built):
    found = gazetteer.find("Харків", built)
    assert found.message is None and found.answer == query.what_is_here(
        built, found.matches[0].lat, found.matches[0].lon
    )
    assert found.answer.to_kharkiv.m == pytest.approx(0, abs=1) and found.answer.area == "ukraine"
    belgorod = gazetteer.find("Белгород", built).answer
    assert belgorod.area == "counterfire_zone"
    assert belgorod.to_kharkiv.km == pytest.approx(
        geodesic((50.60343, 36.58091), (49.98177, 36.25475)).km, abs=0.01
    )


def test_nothing_found_offline_is_a_sentence(built):
    found = gazetteer.find("Qwertyuiopgrad", built)
    assert found.matches == () and found.answer is None
    assert "No place called 'Qwertyuiopgrad'" in found.message and "online" in found.message


@pytest.mark.parametrize("name", ["", "   ", None, "''", "x" * 300])
def test_unsearchable_names(name, built):
    with pytest.raises(gazetteer.PlaceNameError) as caught:
        gazetteer.find(name, built)
    assert "\n" not in str(caught.value) and str(caught.value).endswith(".")


def test_user_agent_names_the_project():
    assert (
        gazetteer.USER_AGENT.startswith("kharkiv-border-map/")
        and "geopy" not in gazetteer.USER_AGENT
    )


# --------------------------------------------------------------------------- online, against a stub


class Stub(BaseHTTPRequestHandler):
    """Nominatim's /search, as far as geopy uses it; behaviour set on the server."""

    def do_GET(self):
        server = self.server
        server.requests.append((self.path, dict(self.headers)))
        if server.delay:
            time.sleep(server.delay)
        if server.status != 200:
            self.send_error(server.status)
            return
        params = parse_qs(urlsplit(self.path).query)
        body = json.dumps(server.answer(params["q"][0])).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def stub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    server.daemon_threads = True
    server.requests, server.delay, server.status = [], 0.0, 200
    server.answer = lambda q: [
        {
            "lat": "50.29078",
            "lon": "36.94108",
            "display_name": f"{q}, Kharkiv Oblast, Ukraine",
            "place_id": 1,
            "osm_type": "node",
            "osm_id": 1,
            "boundingbox": ["50", "51", "36", "37"],
        }
    ]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def test_online_search_asks_the_configured_server(stub, built):
    found = gazetteer.find("Somewhere Stubbed", built, online=True, url=stub.url, min_delay=0)
    assert found.message is None and found.matches[0].source == "OpenStreetMap Nominatim"
    assert found.matches[0].name == "Somewhere Stubbed"
    assert (found.answer.lat, found.answer.lon) == (50.29078, 36.94108)
    path, headers = stub.requests[0]
    assert path.startswith("/search?") and parse_qs(urlsplit(path).query)["q"] == [
        "Somewhere Stubbed"
    ]
    assert headers["User-Agent"] == gazetteer.USER_AGENT


def test_online_is_not_asked_when_offline_found_the_name(stub, built):
    found = gazetteer.find("Kharkiv", built, online=True, url=stub.url, min_delay=0)
    assert found.matches[0].source.startswith(KHARKIV_ID) and stub.requests == []


def test_online_is_not_asked_unless_turned_on(stub, built):
    gazetteer.find("Somewhere Stubbed", built, url=stub.url)
    assert stub.requests == []


def test_online_timeout_is_a_sentence_not_a_hang(stub, built):
    """A server slower than the timeout: a few bounded tries, each given up after the timeout
    (the sentence says so: an answer waited for would have come after 3 s), never a hang."""
    stub.delay = 3.0
    found = gazetteer.find("Slowtown", built, online=True, url=stub.url, timeout=0.5, min_delay=0)
    assert found.matches == () and "did not answer within 0.5 s" in found.message
    assert 1 <= len(stub.requests) <= 3


@pytest.mark.parametrize("status", [500, 503, 403, 429])
def test_online_server_errors_are_sentences(stub, built, status):
    stub.status = status
    found = gazetteer.find("Errortown", built, online=True, url=stub.url, min_delay=0)
    assert found.matches == () and found.message.startswith("The online search at 127.0.0.1:")
    assert "\n" not in found.message


@pytest.mark.filterwarnings("ignore:Latitude normalization:UserWarning")
def test_online_nonsense_answers_are_sentences_or_skipped(stub, built):
    stub.answer = lambda q: [{"lat": "north", "lon": "x"}]
    found = gazetteer.find("Oddtown", built, online=True, url=stub.url, min_delay=0)
    assert found.matches == () and found.message
    stub.answer = lambda q: [{"lat": "95", "lon": "36", "display_name": "x"}]
    assert gazetteer.find("Oddtown2", built, online=True, url=stub.url, min_delay=0).matches == ()


def test_unreachable_server_is_a_sentence(built):
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    found = gazetteer.find(
        "Nowhere", built, online=True, url=f"http://127.0.0.1:{port}", timeout=1, min_delay=0
    )
    assert found.matches == () and "failed" in found.message


def test_bad_server_address(built):
    with pytest.raises(gazetteer.PlaceNameError, match="not an http"):
        gazetteer.search_online("Kharkiv", url="ftp://example")


def test_rate_limit_spaces_requests(stub):
    start = time.monotonic()
    for name in ("Aaa", "Bbb", "Ccc"):
        gazetteer.search_online(name, url=stub.url, min_delay=0.4)
    assert time.monotonic() - start >= 0.8 and len(stub.requests) == 3
