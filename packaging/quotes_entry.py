"""The frozen program's entry point (PyInstaller runs this file)."""

import sys

from app.main import main

sys.exit(main())
