# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PY      ?= python3
VENV    := .venv
VPY     := $(VENV)/bin/python
VNOCR   := $(VENV)/bin/vnocr
STAMP   := $(VENV)/.installed
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# poppler-utils and qpdf: the searchable-PDF tests read outputs back with pdftotext, pdfimages, qpdf;
# ghostscript: OCRmyPDF's PDF/A output (the OCRmyPDF plugin test);
# tesseract-ocr-script-viet: Tesseract's `Vietnamese` script model, for `--lang vie+Vietnamese`
APT_PKGS := tesseract-ocr tesseract-ocr-vie tesseract-ocr-script-viet tesseract-ocr-eng \
            fonts-dejavu-core fonts-freefont-ttf fonts-noto-core poppler-utils qpdf ghostscript

.PHONY: setup system-deps venv bytecode demo test lint browser-deps clean

setup: system-deps venv bytecode

# apt-get only when something is missing; without root, say exactly what to install.
system-deps:
	@missing=""; for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] || command -v sudo >/dev/null; then \
	    echo "installing:$$missing"; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	  else echo "please install:$$missing (apt-get install$$missing)"; exit 1; fi; \
	fi

# chromium is needed only by the HTML-report browser test.
browser-deps:
	@dpkg -s chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

venv: $(STAMP)

# torch first, pinned: a looser pin would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml
	@test -x $(VPY) || $(PY) -m venv $(VENV)
	$(VPY) -m pip install -q --upgrade pip
	$(VPY) -m pip install -q torch==2.13.0
	$(VPY) -m pip install -q -e '.[dev]'
	@touch $(STAMP)

# The package byte-compiled, as pip does for a regular install. An editable install leaves
# it to the first import, which writes nothing where PYTHONDONTWRITEBYTECODE is set: every
# process then compiles some 70 modules again, 0.2 s of each start. Up-to-date files are skipped.
bytecode: venv
	@$(VPY) -m compileall -q pipeline models

demo: setup
	@echo "== vnocr correct samples/son_la_appendix_eng_ocr.txt =="
	$(VNOCR) correct samples/son_la_appendix_eng_ocr.txt
	@echo "== vnocr ocr samples/admin_scan_photocopy.jpg =="
	$(VNOCR) ocr samples/admin_scan_photocopy.jpg

test: setup browser-deps
	$(VPY) -m pytest tests

lint: setup
	$(VENV)/bin/ruff check pipeline scripts tests

clean:
	rm -rf $(VENV) build *.egg-info
