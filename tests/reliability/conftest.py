from tests.cli.conftest import db, watcher  # noqa: F401  (shared fixtures)
