#!/usr/bin/env bash
# Build the one-folder app with PyInstaller into dist/quotes/, then smoke-test it:
# the command line on a temporary store, and the window started offscreen,
# shown, and closed cleanly by SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup
.venv/bin/python -m pip install -q -e ".[packaging]"
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/quotes.spec
exec .venv/bin/python packaging/smoke.py dist/quotes/quotes
