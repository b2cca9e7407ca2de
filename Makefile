# briefpress: `make pdf` and `make test` are all the set-up a fresh Debian 12 machine needs.
# The virtual environment and pinned dependencies are created on first use; Debian
# packages are installed with apt-get when missing (as root), or the command is printed.

PYTHON ?= python3
# Let Python keep its bytecode cache (__pycache__, ignored by git) even where the
# environment says not to write one: without it every briefpress process compiles
# every module again, which costs more than a whole pandoc run.
unexport PYTHONDONTWRITEBYTECODE
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SLUG   ?=
BRIEFPRESS := $(BIN)/briefpress

# Debian packages: to render (Pango for WeasyPrint; libgs-common for the print edition's
# CMYK profile, ICC files only) and to test (browser, office suite and its Python bridge,
# python3-uno, for editing a .docx over UNO; PDF rasteriser for looking at pages).
RUNTIME_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 shared-mime-info \
	libgs-common
TEST_DEBS    := chromium libreoffice-writer-nogui python3-uno poppler-utils
# The bench's second PDF baseline: pandoc via xelatex with pandoc's default LaTeX template.
BENCH_DEBS   := texlive-xetex texlive-latex-recommended texlive-fonts-recommended lmodern

.PHONY: all pdf print docx html build check test lint bench fuzz roundtrip clean distclean \
	sysdeps test-sysdeps bench-sysdeps

all: build

# Shortcuts for the built-in formats; a format added to render/__init__.py's FORMATS is
# built with `briefpress build --format NAME` (or a line added here).
pdf print docx html: $(STAMP) sysdeps
	$(BRIEFPRESS) build $(SLUG) --format $@

build: $(STAMP) sysdeps
	$(BRIEFPRESS) build $(SLUG)

check: $(STAMP) sysdeps
	$(BRIEFPRESS) check $(SLUG)

# pytest on every core (pytest-xdist), a test file to a worker: a file's module-scoped
# builds are made once, by the worker that runs all its tests. The files marked slow go
# first (tests/conftest.py), in that order, not xdist's (most tests first), so no long file
# is left for the end. PYTEST_ARGS: more options,
# e.g. PYTEST_ARGS="-n 0" for one process.
PYTEST_ARGS ?=
test: $(STAMP) sysdeps test-sysdeps
	$(BIN)/ruff check src tests tools
	$(BIN)/pytest -n auto --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests tools

# BENCH_ARGS: more options of tools/bench.py, e.g. --only catalog --catalog-ulimit
BENCH_ARGS ?=
bench: $(STAMP) sysdeps bench-sysdeps
	$(BIN)/python -m tools.bench $(BENCH_ARGS)

# Both fuzzers, FUZZ_SECONDS each: Word files for the importer, then brief.md and
# recommendations.yaml for check and build; the target fails if either found a crash.
FUZZ_SECONDS ?= 60
fuzz: $(STAMP) sysdeps
	$(BIN)/python -m tools.fuzz --seconds $(FUZZ_SECONDS); importer=$$?; \
	$(BIN)/python -m tools.fuzz_source --seconds $(FUZZ_SECONDS); source=$$?; \
	exit $$((importer | source))

# The Word round trip's generated corpus at length: ROUNDTRIP_EXAMPLES briefs of every
# construct, built, re-saved by LibreOffice and imported byte for byte (make test runs 6).
ROUNDTRIP_EXAMPLES ?= 300
roundtrip: $(STAMP) sysdeps test-sysdeps
	BRIEFPRESS_ROUNDTRIP_EXAMPLES=$(ROUNDTRIP_EXAMPLES) $(BIN)/pytest -q -s \
		tests/end_to_end/test_word_corpus.py

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,cluster]'
	touch $@

# Install the Debian packages named in $(1) that are missing ($(2): more apt-get options),
# waiting up to APT_LOCK_WAIT seconds for another apt or dpkg (an unattended upgrade on a
# fresh machine) to let go of its lock rather than failing on it.
APT_LOCK_WAIT ?= 600
define ensure_debs
@missing=""; for p in $(1); do \
  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
done; \
if [ -n "$$missing" ]; then \
  if [ "$$(id -u)" = 0 ]; then \
    echo "installing Debian packages:$$missing"; \
    apt-get update -q -o DPkg::Lock::Timeout=$(APT_LOCK_WAIT) >/dev/null && \
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=$(APT_LOCK_WAIT) \
        $(2) $$missing >/dev/null; \
  else \
    echo "briefpress needs Debian packages; run: sudo apt-get install -y$$missing" >&2; exit 1; \
  fi; \
fi
endef

sysdeps:
	$(call ensure_debs,$(RUNTIME_DEBS))

test-sysdeps:
	$(call ensure_debs,$(TEST_DEBS))

bench-sysdeps:
	$(call ensure_debs,$(BENCH_DEBS),--no-install-recommends)

clean:
	rm -rf build

distclean: clean
	rm -rf $(VENV) src/*.egg-info
