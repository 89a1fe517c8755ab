# Two commands do all the set-up: `make run` and `make test`. Each creates .venv when needed.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: setup run export test test-fast lint fuzz mutation audit bench load load-cluster data i18n docs clean

setup: $(VENV)/.installed static/vendor/.installed .cache/axe/axe.min.js

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# Leaflet from its pip package, the two plugins with `npm pack` (left out of the map, with a
# notice, where npm is missing). Pinned and checksummed in geo/data/scripts.py.
static/vendor/.installed: $(VENV)/.installed geo/data/scripts.py
	$(VENV)/bin/kharkiv-map assets install
	touch $@

# axe-core for the browser tests' accessibility audit, with `npm pack` into the gitignored
# .cache/ (a test tool, not part of the map). Pinned and checksummed in tests/axe.py; without
# npm it says so, and the audit tests skip (with KHARKIV_MAP_REQUIRE_BROWSER set they fail).
.cache/axe/axe.min.js: $(VENV)/.installed tests/axe.py
	$(PY) -m tests.axe install

# serverAddress: the URL it prints is the local one, and a headless server does not look up
# its public address on the internet.
run: setup
	$(VENV)/bin/streamlit run app.py --server.port $(PORT) --browser.serverAddress localhost

export: setup
	$(VENV)/bin/kharkiv-map export --out map.html --geojson layers.geojson

test: setup
	$(PY) -m pytest

test-fast: setup
	$(PY) -m pytest -m "not browser"

# Formatting, lint and the import contract (the layers of geo/, pyproject.toml [tool.importlinter]).
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# The Ukrainian catalogues against the code: every string has an entry (tests/test_i18n.py
# checks the same). After changing strings: $(PY) -m geo.i18n update, then translate.
i18n: setup
	$(PY) -m geo.i18n check

# Mutation testing of the engine's geometry, units and URL state (not part of `make test`;
# about a quarter of an hour on two cores). Settings in pyproject.toml [tool.mutmut]; the score and
# the surviving mutants are in README.md, "Mutation testing".
mutation: setup
	rm -rf mutants
	$(VENV)/bin/mutmut run --max-children 2
	$(VENV)/bin/mutmut results

# Generated input, at least 10,000 examples per target (not part of `make test`, which runs
# a modest number): the distance parser, the URL state, the story step, the command line,
# users' GeoJSON, KML and CSV files read and classified (and 2,000 of them through
# `classify` on the command line). About half an hour on two cores.
fuzz: setup
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest -q -p no:cacheprovider tests/test_fuzz.py --hypothesis-show-statistics

# The accessibility checks alone: axe-core on every page of the app (the map drawn in it), the
# exported page and the story file; keyboard focus; print layouts (headless Chromium).
audit: setup
	$(PY) -m pytest tests/test_accessibility.py

bench: setup
	$(PY) bench/bench.py

# Concurrent sessions against a local `streamlit run app.py` it starts itself (not part of
# `make test`; about four minutes). Other runs: make load LOAD_ARGS="--browsers 10".
LOAD_ARGS ?= --sessions 10,20,40,80
load: setup
	$(PY) bench/load.py $(LOAD_ARGS)

# The app as two replicas behind Debian's nginx with deploy/nginx.conf, all on 127.0.0.1, 80
# sessions through it and one replica killed half-way (not part of `make test`; about a
# minute). docs/deploying.md records a run.
CLUSTER_ARGS ?= --cluster 2 --sessions 80 --kill-one
load-cluster: setup
	$(PY) bench/load.py $(CLUSTER_ARGS)

# Rebuilds data/ from the npm packages, both border sources (network: the npm registry).
data: setup
	$(VENV)/bin/kharkiv-map data rebuild
	$(VENV)/bin/kharkiv-map data rebuild --source naturalearth

# The documentation site (docs/, mkdocs.yml) into build/site; --strict fails on a broken link
# or anchor. MkDocs and its Material theme are the `docs` extra, installed here the first time.
docs: $(VENV)/.installed
	$(PY) -c "import mkdocs, material" 2>/dev/null || $(PY) -m pip install --quiet -e '.[docs]'
	$(PY) -m mkdocs build --strict --site-dir build/site

clean:
	rm -rf $(VENV) static/vendor .cache/axe
