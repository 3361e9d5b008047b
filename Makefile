# argbrief: two commands to know.
#   make demo   set up, check arguments/ and build every pack into exports/
#   make test   set up and run the test suite
# Both create .venv when missing, install the package with its test extras,
# install Graphviz (and the fonts and poppler tools the packs and tests use)
# with apt when `dot` is missing, and are safe to run again. They also compile
# argbrief's bytecode: an editable install never keeps it when
# PYTHONDONTWRITEBYTECODE is set (as many shells and images do), and compiling
# the package again on every run was a third of `argbrief render`'s start-up.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test setup system-deps bytecode clean

demo: setup
	$(BIN)/argbrief check --strict
	$(BIN)/argbrief build

test: setup
	$(BIN)/python -m pytest

setup: system-deps $(STAMP) bytecode

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Only what changed is compiled again; compileall writes whatever PYTHONDONTWRITEBYTECODE says.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q src/argbrief

system-deps:
	@sh scripts/system-deps.sh

clean:
	rm -rf $(VENV) .argbrief-cache .pytest_cache .hypothesis
