#!/bin/sh
# Install the system tools argbrief needs when they are missing:
# Graphviz (dot), fonts covering Latin, Cyrillic, Arabic and CJK, and
# poppler-utils (pdftoppm, used by tests and to look at packs), librsvg2-bin
# (rsvg-convert draws Word's PNG pictures and PNG renders from the SVG), git (argbrief diff
# reads revisions with it), qpdf (its --check validates the joined PDF's structure in the tests), faketime
# (libfaketime: the reproducible-build test fakes the clock with it)
# and Chromium: the tests drive it headless (Playwright's Python package with the
# system's chromium, never a downloaded browser) to see the HTML pack and the
# `argbrief serve` page as a reader does.
set -e
missing=""
command -v dot >/dev/null 2>&1 || missing="$missing graphviz"
command -v git >/dev/null 2>&1 || missing="$missing git"
command -v rsvg-convert >/dev/null 2>&1 || missing="$missing librsvg2-bin"
command -v pdftoppm >/dev/null 2>&1 || missing="$missing poppler-utils"
command -v qpdf >/dev/null 2>&1 || missing="$missing qpdf"
command -v faketime >/dev/null 2>&1 || missing="$missing faketime"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
fc-list 2>/dev/null | grep -qi "DejaVuSans" || missing="$missing fonts-dejavu-core"
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$missing fonts-noto-cjk"
fc-list 2>/dev/null | grep -qi "NotoSansArabic\|Noto Sans Arabic" || missing="$missing fonts-noto-core"
[ -z "$missing" ] && exit 0
line="apt-get install -y$missing"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing:$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
elif command -v sudo >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    echo "installing:$missing"
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
    echo "argbrief needs:$missing" >&2
    echo "install them with:  sudo $line" >&2
    command -v dot >/dev/null 2>&1 || exit 1
fi
