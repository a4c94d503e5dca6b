# 绩效自评填报助手 — developer commands. `make run` and `make test` set up .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SAMPLE ?= resources/samples/gd_yuancheng_medical_aid_2021.pfe

.PHONY: run test lint typecheck pytest bench clean setup bundle bundle-hello windows

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m perfeval_desktop $(SAMPLE)

lint: $(STAMP)
	$(BIN)/ruff check perfeval_desktop tests

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} $(BIN)/python -m pytest -q

test: lint typecheck pytest

bench: $(STAMP)
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} $(BIN)/python -m perfeval_desktop.bench

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache

# --- the frozen bundle (issue #5, installer/README.md) -------------------------------------
# `make bundle`: dist/perfeval-desktop/ from installer/perfeval-desktop.spec (the spec the
# Windows installer uses), then the frozen --self-test of both programs in a temp basedir.
# `make bundle-hello`: dist/hello/, a bare PySide6 window with default options (the floor).
BUNDLE_STAMP := $(VENV)/.bundle-installed
PYINSTALLER := $(BIN)/python -m PyInstaller --noconfirm --log-level WARN --distpath dist \
	--workpath build/pyinstaller

$(BUNDLE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,bundle]'
	@touch $(BUNDLE_STAMP)

bundle: $(BUNDLE_STAMP)
	$(BIN)/python installer/make_icon.py --if-missing
	rm -rf dist/perfeval-desktop
	$(PYINSTALLER) installer/perfeval-desktop.spec
	du -sh dist/perfeval-desktop
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; set -e; \
	dist/perfeval-desktop/perfeval-desktop --version; \
	dist/perfeval-desktop/perfeval-desktop --basedir "$$tmp/cli" templates; \
	QT_QPA_PLATFORM=offscreen dist/perfeval-desktop/perfeval-desktop-gui --self-test \
		--basedir "$$tmp/gui"

bundle-hello: $(BUNDLE_STAMP)
	rm -rf dist/hello
	$(PYINSTALLER) installer/hello/hello.spec
	du -sh dist/hello
	QT_QPA_PLATFORM=offscreen PERFEVAL_QUIT_AFTER_SHOWN=1 dist/hello/hello

# --- the Windows program under Wine (issue #9, README "Windows under Wine") -----------------
# `make windows`: Wine, MinGW and the Windows CPython/wheels into build/windows/ (cached), the
# bundle from installer/perfeval-desktop.spec and the setup.exe from installer/perfeval-desktop.iss
# into dist/windows/, then install, --self-test under zh_CN and en_US, upgrade and uninstall.
# WINDOWS_ARGS=--fresh starts from a new Wine prefix; --screenshots also writes
# docs/screenshots/windows/.
windows: $(STAMP)
	$(BIN)/python installer/windows/build.py $(WINDOWS_ARGS)
