"""Run the benchmarks and print one table: ``python -m benchmarks.run [--quick] [--only NAME]``.

Every benchmark measures ours against a baseline in the same run, on
temporary files only. ``--quick`` uses small sizes and few repetitions (a
smoke test for CI: it checks that everything runs, never how fast). A full
run (no ``--quick``, no ``--only``) also writes ``benchmarks/LATEST.md`` and
the table in ``benchmarks/README.md``; ``--check`` exits 1 if a target was
missed; ``--million`` adds the load and the sync cost at 1,000,000 quotes.
``--engine fdb`` runs the FoundationDB comparison instead (``cluster.py``):
the same measures on a cluster tenant and on an embedded store, side by side.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks._common import Context, Row, machine, markdown_table

#: In the order they run (the GUI ones last: they reuse the databases built before).
BENCHMARKS = ("latency", "sync_cost", "throughput", "cli_start", "import_speed", "load", "bursts")
HERE = Path(__file__).resolve().parent
BEGIN, END = "<!-- latest:begin -->", "<!-- latest:end -->"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke test, not a measurement")
    parser.add_argument(
        "--only",
        action="append",
        choices=BENCHMARKS,
        metavar="NAME",
        help=f"run only this benchmark (repeatable): {', '.join(BENCHMARKS)}",
    )
    parser.add_argument(
        "--million",
        action="store_true",
        help="load and sync_cost also at 1,000,000 quotes (the store takes about 3 minutes to build)",
    )
    parser.add_argument(
        "--engine",
        choices=("sqlite", "fdb"),
        default="sqlite",
        help="fdb: the cluster beside the embedded store (benchmarks/cluster.py) instead",
    )
    parser.add_argument(
        "--cluster-file", default=os.environ.get("FDB_CLUSTER_FILE"), help="the cluster for --engine fdb"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if a target was missed")
    parser.add_argument("--no-write", action="store_true", help="do not update LATEST.md and README.md")
    args = parser.parse_args(argv)
    chosen = ["cluster"] if args.engine == "fdb" else args.only or list(BENCHMARKS)
    command = (
        "python -m benchmarks.run"
        + (" --engine fdb" if args.engine == "fdb" else "")
        + (" --quick" if args.quick else "")
        + (" --million" if args.million else "")
        + "".join(f" --only {name}" for name in args.only or ())
    )

    load = os.getloadavg()[0]
    print(f"# {command}\n# {machine()}", flush=True)
    if load > 0.5:
        print(f"# warning: load average {load:.2f}: other work on this machine skews the numbers", flush=True)
    rows: list[Row] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="quotes-bench-") as tmp:
        ctx = Context(args.quick, Path(tmp), million=args.million, cluster_file=args.cluster_file)
        for name in chosen:
            t0 = time.perf_counter()
            print(f"# running {name} ...", flush=True)
            module = importlib.import_module(f"benchmarks.{name}")
            try:
                rows += module.run(ctx)
            except Exception as exc:  # one failing benchmark must not hide the others
                rows.append(Row(name, "FAILED", f"{type(exc).__name__}: {exc}".splitlines()[0]))
                print(f"# {name} failed: {exc}", file=sys.stderr, flush=True)
            print(f"# {name} took {time.perf_counter() - t0:.1f} s", flush=True)
    table = markdown_table(rows)
    print()
    print(table)
    print(f"\n# all done in {time.perf_counter() - started:.0f} s", flush=True)

    if not args.quick and not args.only and not args.no_write and args.engine == "sqlite":
        _write(table, command)
    failed = any(row.measure == "FAILED" for row in rows)
    missed = any(row.met is False for row in rows)
    if failed:
        return 2
    return 1 if args.check and missed else 0


def _write(table: str, command: str) -> None:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    block = f"{BEGIN}\nMeasured {when} with `{command}` on {machine()}.\n\n{table}\n{END}"
    (HERE / "LATEST.md").write_text(f"# Latest benchmark results\n\n{block}\n")
    readme = HERE / "README.md"
    if readme.exists():
        text = readme.read_text()
        if BEGIN in text and END in text:
            pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
            readme.write_text(pattern.sub(lambda _: block, text))
    print(f"# wrote {HERE / 'LATEST.md'} and the table in {readme}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
