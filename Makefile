# Jiuye: the two README commands (`make serve`, `make test`) build everything they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: venv browser-deps serve test screenshots bench bench-serve lock clean

venv: $(STAMP)

# Rebuilt only when the dependency list or the pins change; pip is told the pins with -c.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $(STAMP)

serve: venv
	$(BIN)/jiuye serve --host $(HOST) --port $(PORT)

# The browser tests' tools: Debian's Chromium + CJK fonts (apt, once) and axe-core (npm ci, pinned by
# tests/browser/package-lock.json). Quick when installed. A failure is reported here and the browser
# tests then fail with the reason; JIUYE_SKIP_BROWSER=1 skips both.
browser-deps:
	@bash tests/browser/setup.sh || echo "make: browser-deps failed (above): the browser tests will fail"

# pytest exits 5 when it collects no test: that is a failure here, never a pass.
test: venv browser-deps
	@$(BIN)/python -m pytest -n 2; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests: that is a failure"; exit 1; fi; \
	exit $$rc

# Refresh the README's page screenshots (docs/screenshots/*.png): the browser tests, saving where
# $JIUYE_SCREENSHOT_DIR says (`make test` saves them in a temporary folder and leaves docs/ alone).
screenshots: venv browser-deps
	JIUYE_SKIP_BROWSER=0 JIUYE_SCREENSHOT_DIR=$(CURDIR)/docs/screenshots $(BIN)/python -m pytest tests/browser -q

bench: venv
	$(BIN)/python bench/run.py

# Only the server-under-load table of `make bench` (bench/serve.py).
bench-serve: venv
	$(BIN)/python bench/serve.py

# Re-resolve the pins from pyproject.toml (run by hand when adding a dependency).
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet --disable-pip-version-check -e '.[test]'
	.lockenv/bin/pip freeze --exclude-editable | grep -v '^jiuye' > constraints.txt
	rm -rf .lockenv

clean:
	rm -rf $(VENV) .pytest_cache tests/browser/node_modules
