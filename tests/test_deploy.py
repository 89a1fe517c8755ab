"""The deployment files say what docs/deploying.md says they do, and nginx with
deploy/nginx.conf keeps a reader on one replica.

The Dockerfile, compose file and Kubernetes manifests are parsed and checked for what they
declare (Docker and a cluster are not needed). The live tests start Debian's nginx with
deploy/nginx.conf (adapted by bench/load.py's ``local_nginx_conf``: the upstream servers,
the listen address and the temporary folders) in front of two ``streamlit run app.py`` on
127.0.0.1. Where nginx is missing they are skipped with a notice; with
KHARKIV_MAP_REQUIRE_BROWSER set, as CI sets it, they fail instead.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import importlib.util
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Self

import pytest
import yaml


def _run_async(coroutine):
    """``asyncio.run`` in a thread of its own: the browser tests' Playwright fixture keeps an
    event loop running in this thread for the whole session."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
HEALTH = "/_stcore/health"
STREAM = "/_stcore/stream"
COOKIE = "kharkiv_replica"


def _bench_load():
    """bench/load.py as a module (bench/ is scripts, not a package)."""
    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


load = _bench_load()


# --------------------------------------------------------------------------- nginx.conf


def nginx_tokens(text: str) -> list[str]:
    """Words, quoted strings, ``{``, ``}`` and ``;`` of an nginx configuration, comments out."""
    return re.findall(r"""'[^']*'|"[^"]*"|[{};]|[^\s{};'"#]+|#[^\n]*""", text)


def nginx_blocks(text: str) -> list:
    """The configuration as a tree: each directive is ``(name, args, children)``; children is
    None for a simple directive (``proxy_pass http://x;``)."""
    stack: list[list] = [[]]
    words: list[str] = []
    for token in nginx_tokens(text):
        if token.startswith("#"):
            continue
        if token == ";":
            stack[-1].append((words[0], words[1:], None))
            words = []
        elif token == "{":
            block: list = []
            stack[-1].append((words[0], words[1:], block))
            stack.append(block)
            words = []
        elif token == "}":
            assert not words, f"unterminated directive {words} before a closing brace"
            stack.pop()
        else:
            words.append(token.strip("'\""))
    assert len(stack) == 1 and not words, "unbalanced braces in nginx.conf"
    return stack[0]


def find(tree: list, name: str, *args: str) -> list:
    """The directives called ``name`` in ``tree`` (not nested), whose arguments start with
    ``args``."""
    return [d for d in tree if d[0] == name and tuple(d[1][: len(args)]) == args]


def one(tree: list, name: str, *args: str):
    found = find(tree, name, *args)
    assert len(found) == 1, f"expected one `{name} {' '.join(args)}`, found {len(found)}"
    return found[0]


@pytest.fixture(scope="module")
def nginx_conf() -> list:
    return nginx_blocks((DEPLOY / "nginx.conf").read_text())


@pytest.fixture(scope="module")
def http(nginx_conf):
    return one(nginx_conf, "http")[2]


@pytest.fixture(scope="module")
def server(http):
    return one(http, "server")[2]


def test_nginx_passes_the_websocket_upgrade_on_the_stream(http, server):
    stream = one(server, "location", STREAM)[2]
    headers = {d[1][0].lower(): d[1][1] for d in find(stream, "proxy_set_header")}
    assert headers["upgrade"] == "$http_upgrade"
    assert headers["connection"] == "$connection_upgrade"
    upgrade_map = one(http, "map", "$http_upgrade", "$connection_upgrade")[2]
    assert ("default", ["upgrade"], None) in upgrade_map
    assert one(stream, "proxy_pass")[1] == ["http://streamlit"]
    assert one(server, "proxy_http_version")[1] == ["1.1"]
    # A quiet reader's WebSocket stays open for an hour; other requests have a minute.
    assert int(one(stream, "proxy_read_timeout")[1][0].rstrip("s")) >= 3600
    # The same Host and forwarding headers in both locations (they are not inherited).
    page = one(server, "location", "/")[2]
    for header in ("Host", "X-Forwarded-For", "X-Forwarded-Proto"):
        assert find(page, "proxy_set_header", header) and find(stream, "proxy_set_header", header)


def test_nginx_is_sticky_by_a_cookie_it_sets(http, server):
    upstream = one(http, "upstream", "streamlit")[2]
    assert one(upstream, "hash")[1] == ["$replica_key", "consistent"]
    assert find(upstream, "zone", "streamlit")  # the workers share which replica has failed
    key = one(http, "map", f"$cookie_{COOKIE}", "$replica_key")[2]
    assert ("default", [f"$cookie_{COOKIE}"], None) in key
    new_key = {d[0]: d[1] for d in one(http, "map", "$uri", "$replica_key_new")[2]}
    assert new_key["default"] == ["$request_id"]  # a reader's first page: a new random key
    # Where no cookie can be set, Streamlit's per-session endpoints follow the address.
    assert {v[0] for k, v in new_key.items() if k != "default"} == {"$remote_addr"}
    cookie = {d[0]: d[1] for d in one(http, "map", f"$cookie_{COOKIE}", "$replica_cookie")[2]}
    assert cookie[""][0].startswith(f"{COOKIE}=$replica_key;") and "HttpOnly" in cookie[""][0]
    assert cookie["default"] == [""]  # set only for a reader who has none
    assert find(server, "add_header", "Set-Cookie", "$replica_cookie")


def test_nginx_skips_a_lost_replica(http, server):
    upstream = one(http, "upstream", "streamlit")[2]
    servers = find(upstream, "server")
    assert len(servers) == 3
    for _, args, _ in servers:
        options = dict(a.split("=", 1) for a in args[1:])
        assert int(options["max_fails"]) >= 1 and options["fail_timeout"].endswith("s")
    assert {"error", "timeout"} <= set(one(server, "proxy_next_upstream")[1])
    assert find(server, "add_header", "X-Replica", "$upstream_addr")


def test_local_nginx_conf_changes_only_addresses_and_folders(tmp_path):
    text = (DEPLOY / "nginx.conf").read_text()
    local = load.local_nginx_conf(text, [4001, 4002], 4000, tmp_path)
    original, adapted = nginx_blocks(text), nginx_blocks(local)

    def without_local_parts(tree):
        kept = []
        for name, args, children in tree:
            if name in ("server", "listen") and children is None or name in load.NGINX_TEMP_PATHS:
                continue
            kept.append((name, args, without_local_parts(children) if children else children))
        return kept

    assert without_local_parts(adapted) == without_local_parts(original)
    http = one(adapted, "http")[2]
    upstream = one(http, "upstream", "streamlit")[2]
    assert [d[1] for d in find(upstream, "server")] == [
        ["127.0.0.1:4001", "max_fails=1", "fail_timeout=10s"],
        ["127.0.0.1:4002", "max_fails=1", "fail_timeout=10s"],
    ]
    assert one(one(http, "server")[2], "listen")[1] == ["127.0.0.1:4000"]
    assert all(one(http, name)[1][0].startswith(str(tmp_path)) for name in load.NGINX_TEMP_PATHS)


# --------------------------------------------------------------------------- Dockerfile


def dockerfile_stages() -> list[list[tuple[str, str]]]:
    """Each stage's instructions as (INSTRUCTION, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", (DEPLOY / "Dockerfile").read_text())
    stages: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        instruction, _, rest = line.partition(" ")
        if instruction.upper() == "FROM":
            stages.append([])
        if stages:
            stages[-1].append((instruction.upper(), " ".join(rest.split())))
    return stages


def test_dockerfile_builds_everything_and_runs_as_a_user_without_privileges():
    stages = dockerfile_stages()
    text = (DEPLOY / "Dockerfile").read_text()
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.\d+-slim", text, re.MULTILINE)
    build, image = stages[0], stages[-1]
    assert all(step[1].startswith("${PYTHON_IMAGE}") for stage in stages for step in stage[:1])
    build_runs = " ; ".join(args for name, args in build if name == "RUN")
    assert "pip install ." in build_runs
    assert "kharkiv-map assets install" in build_runs and "kharkiv-map assets status" in build_runs
    # The map's scripts installed where Streamlit serves them, and read from there at run time.
    assert ("ENV", "KHARKIV_MAP_ASSETS=/app/static/vendor") in build
    env = " ".join(args for name, args in image if name == "ENV")
    assert "KHARKIV_MAP_ASSETS=/app/static/vendor" in env
    copies = [args for name, args in image if name == "COPY"]
    assert "--from=build /app/static /app/static" in copies
    assert {"app.py ./", "pages/ pages/", ".streamlit/ .streamlit/"} <= set(copies)
    # npm and the build tools stay in the build stage.
    assert not any("npm" in args for name, args in image if name == "RUN")

    users = [args for name, args in image if name == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert users[-1].split(":")[0].isdigit()  # numeric: Kubernetes' runAsNonRoot can check it
    names = [name for name, _ in image]
    assert names.index("USER") < names.index("CMD")

    healthcheck = next(args for name, args in image if name == "HEALTHCHECK")
    assert HEALTH in healthcheck and "8501" in healthcheck
    command = next(args for name, args in image if name == "CMD")
    words = yaml.safe_load(command)  # the exec form is a JSON (so YAML) list
    assert words[:3] == ["streamlit", "run", "app.py"]
    assert words[words.index("--server.address") + 1] == "0.0.0.0"
    assert words[words.index("--server.port") + 1] == "8501"
    assert ("EXPOSE", "8501") in image


def test_dockerignore_sends_only_what_the_dockerfile_copies():
    lines = [
        line
        for line in (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert lines[0] == "**"
    for name in ("pyproject.toml", "geo/", "data/", "app.py", "pages/", ".streamlit/"):
        assert f"!{name}" in lines


# --------------------------------------------------------------------------- compose


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_compose_runs_nginx_in_front_of_three_replicas(compose, http):
    services = compose["services"]
    apps = sorted(name for name in services if name != "nginx")
    assert apps == ["app1", "app2", "app3"]
    for name in apps:
        app = services[name]
        assert app["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
        assert "STREAMLIT_SERVER_COOKIE_SECRET" in app["environment"]
        assert app["expose"] == ["8501"]
    # nginx.conf's upstream names exactly these services.
    upstream = one(http, "upstream", "streamlit")[2]
    assert sorted(d[1][0] for d in find(upstream, "server")) == [f"{a}:8501" for a in apps]
    nginx = services["nginx"]
    assert "./nginx.conf:/etc/nginx/nginx.conf:ro" in nginx["volumes"]
    assert {name: c["condition"] for name, c in nginx["depends_on"].items()} == {
        a: "service_healthy" for a in apps
    }
    assert any(str(port).endswith(":80") for port in nginx["ports"])


# --------------------------------------------------------------------------- Kubernetes


@pytest.fixture(scope="module")
def manifests() -> dict:
    found = {}
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text()):
            found[document["kind"]] = document
    return found


def test_kustomization_lists_every_manifest(manifests):
    listed = set(manifests["Kustomization"]["resources"])
    assert listed == {p.name for p in (DEPLOY / "k8s").glob("*.yaml")} - {"kustomization.yaml"}


def test_deployment_has_three_replicas_probed_on_the_health_endpoint(manifests):
    deployment = manifests["Deployment"]
    assert deployment["spec"]["replicas"] == 3
    pod = deployment["spec"]["template"]["spec"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    (container,) = pod["containers"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports == {"http": 8501}
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        check = container[probe]["httpGet"]
        assert check["path"] == HEALTH and check["port"] in ("http", 8501), probe
    resources = container["resources"]
    for kind in ("requests", "limits"):
        assert {"cpu", "memory"} <= resources[kind].keys()
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    secret = container["env"][0]
    assert (
        secret["name"] == "STREAMLIT_SERVER_COOKIE_SECRET" and "secretKeyRef" in secret["valueFrom"]
    )


def test_service_and_ingress_lead_to_the_pods_with_cookie_affinity(manifests):
    deployment, service, ingress = (manifests[k] for k in ("Deployment", "Service", "Ingress"))
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    (port,) = service["spec"]["ports"]
    assert port["targetPort"] == "http"
    annotations = ingress["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert annotations[prefix + "affinity"] == "cookie"
    assert annotations[prefix + "affinity-mode"] == "persistent"
    assert annotations[prefix + "session-cookie-name"] == COOKIE
    assert int(annotations[prefix + "proxy-read-timeout"]) >= 3600
    assert ingress["spec"]["ingressClassName"] == "nginx"
    (rule,) = ingress["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    backend = path["backend"]["service"]
    assert backend["name"] == service["metadata"]["name"]
    assert backend["port"]["name"] == port["name"]
    budget = manifests["PodDisruptionBudget"]
    assert budget["spec"]["selector"]["matchLabels"].items() <= labels.items()


# --------------------------------------------------------------------------- nginx, live


@pytest.fixture(scope="module")
def nginx() -> str:
    path = load.nginx_path()
    if path:
        return path
    if os.environ.get("KHARKIV_MAP_REQUIRE_BROWSER"):
        pytest.fail(
            "KHARKIV_MAP_REQUIRE_BROWSER is set but nginx was not found "
            "(.ci/run installs Debian's nginx)"
        )
    pytest.skip(
        "no nginx on this machine (apt-get install nginx): the load-balancer tests are skipped"
    )


def test_nginx_accepts_the_configuration(nginx, tmp_path):
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        load.local_nginx_conf((DEPLOY / "nginx.conf").read_text(), [4001, 4002], 4000, tmp_path)
    )
    checked = subprocess.run(
        [
            nginx,
            "-t",
            "-q",
            "-p",
            f"{tmp_path}/",
            "-c",
            str(conf),
            "-e",
            "stderr",
            "-g",
            f"pid {tmp_path / 'nginx.pid'};",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr


class Cluster:
    """Two replicas of the app and nginx in front of them, stopped together."""

    def __init__(self, log_dir: Path, nginx: str):
        self.servers = [load.Server(log_dir) for _ in range(2)]
        self.lb = load.LoadBalancer(log_dir, self.servers, nginx)

    def __enter__(self) -> Self:
        try:
            for server in self.servers:
                server.spawn()
            for server in self.servers:
                server.wait_ready()
            self.lb.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.lb.stop()
        for server in self.servers:
            server.stop()


@pytest.fixture(scope="module")
def cluster(nginx, tmp_path_factory):
    with Cluster(tmp_path_factory.mktemp("cluster"), nginx) as running:
        yield running


async def open_page(lb, cookies: dict[str, str]) -> list[str]:
    """The page and the calls the frontend makes before its WebSocket, then the WebSocket's
    handshake (no script run): the replica that answered each."""
    from websockets.asyncio.client import connect

    replicas = []
    for path in ("/", HEALTH, "/_stcore/host-config"):
        status, headers = await load.http_get(lb.port, path, cookies)
        assert status == 200, f"{path}: HTTP {status}"
        replicas.append(lb.replica(headers["x-replica"][0]))
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else None
    async with connect(
        f"ws://127.0.0.1:{lb.port}{STREAM}",
        origin=lb.url,
        proxy=None,
        subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN"],
        additional_headers=headers,
        open_timeout=30,
    ) as ws:
        replicas.append(lb.replica(ws.response.headers["X-Replica"]))
    return replicas


def test_a_session_reaches_one_replica_with_its_requests_and_its_websocket(cluster):
    """One reader, as load.py's cluster session: the page and its calls, then the map over
    the WebSocket, all through nginx to one replica."""
    import argparse

    args = argparse.Namespace(query="", timeout=90.0, change="input")
    start, release = asyncio.Event(), asyncio.Event()
    start.set()
    release.set()

    async def run():
        return await load.cluster_session(
            cluster.lb,
            load.Proto(),
            None,
            args,
            0.0,
            start,
            {},
            0,
            release,
            time.monotonic() + 90,
            load.Outage(),
        )

    result = _run_async(run())
    assert result.error is None, result.error
    assert result.map_s is not None
    assert [v.what for v in result.visits] == ["/", HEALTH, "/_stcore/host-config", STREAM]
    assert {v.replica for v in result.visits} == {result.map_replica}
    assert result.map_replica in ("A", "B")


def test_readers_are_spread_over_both_replicas_and_each_stays_on_one(cluster):
    async def run():
        return [await open_page(cluster.lb, {}) for _ in range(24)]

    sessions = _run_async(run())
    assert all(len(set(replicas)) == 1 for replicas in sessions), sessions
    # 24 random keys all on one of two replicas would be a 1 in 8 million chance.
    assert {replicas[0] for replicas in sessions} == {"A", "B"}


def test_without_a_cookie_the_websocket_follows_the_address(cluster):
    from websockets.asyncio.client import connect

    async def handshake() -> str:
        async with connect(
            f"ws://127.0.0.1:{cluster.lb.port}{STREAM}",
            origin=cluster.lb.url,
            proxy=None,
            subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN"],
            open_timeout=30,
        ) as ws:
            return cluster.lb.replica(ws.response.headers["X-Replica"])

    async def run():
        return {await handshake() for _ in range(6)}

    assert len(_run_async(run())) == 1


def test_a_lost_replica_is_skipped_and_its_readers_reach_the_other(nginx, tmp_path):
    with Cluster(tmp_path, nginx) as lost:
        cookies: dict[str, str] = {}
        before = _run_async(open_page(lost.lb, cookies))
        assert len(set(before)) == 1
        gone = before[0]
        lost.servers["AB".index(gone)].kill()
        after = _run_async(open_page(lost.lb, cookies))
        assert set(after) == {"AB".replace(gone, "")}, after
        log = lost.lb.log_tail(40)
        assert "connect() failed" in log or "Connection refused" in log, log


def test_load_script_runs_a_small_cluster_round(nginx):
    """``bench/load.py --cluster 2 --kill-one`` end to end, with four sessions."""
    command = [
        sys.executable,
        str(ROOT / "bench" / "load.py"),
        "--cluster",
        "2",
        "--sessions",
        "4",
        "--kill-one",
        "--timeout",
        "90",
        "--deadline",
        "150",
        "--nginx",
        nginx,
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=200, cwd=ROOT, check=False
    )
    out = done.stdout
    assert done.returncode == 0, out[-3000:] + done.stderr[-2000:]
    assert re.search(r"^per replica: \d+, \d+", out, re.MULTILINE), out
    assert re.search(r"^sticky: \d+/4$", out, re.MULTILINE), out
    assert "[PASS] all sessions get the map: 4/4" in out, out
    assert "[PASS] errors: 0" in out, out
