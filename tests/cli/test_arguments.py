"""Arguments a person (or a script) gets wrong: refused in one line, with advice that works.

Arguments that are not text (bytes that are not UTF-8) are bad input; an id
of no form this program gives that names no quote is bad input too; a
mistyped command gets "did you mean"; hints are commands that work as
written (shell-quoted, on the same store); the examples in the help run.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess

import pytest
from support.cli import Cli, assert_refused, cli_env
from support.engines import ROOT
from support.waiting import WAIT_S

NOT_TEXT = "\udcff"  # how Python gives an argument holding the byte 0xff


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["like", NOT_TEXT], "the id is not text"),
        (["edit", NOT_TEXT, "--content", "C"], "the id is not text"),
        (["delete", NOT_TEXT], "the id is not text"),
        (["watch", NOT_TEXT], "the id is not text"),
        (["--tenant", f"work{NOT_TEXT}", "list"], "--tenant is not text"),
        (["list", "--search", NOT_TEXT], "--search is not text"),
        (["watch", "--search", NOT_TEXT], "--search is not text"),
        (["add", "--author", NOT_TEXT, "--content", "C"], "--author is not text"),
        (["edit", "x", "--content", f"a{NOT_TEXT}"], "--content is not text"),
        (["tenants", "create", NOT_TEXT], "the tenant name is not text"),
    ],
)
def test_an_argument_that_is_not_text_is_bad_input(cli, state, seeded, args, words):
    assert_refused(cli.run(*args), 2, words)
    assert state() == seeded


@pytest.mark.e2e
@pytest.mark.parametrize("command", [["like"], ["edit", "--author", "A"], ["delete"], ["watch"]])
def test_a_real_argument_of_bytes_that_are_not_utf8_is_one_line_and_exit_2(file_cli, command):
    argv = [*file_cli.argv(command[0]), b"\xff", *command[1:]]
    done = subprocess.run(argv, capture_output=True, cwd=ROOT, env=cli_env(), timeout=WAIT_S)
    assert (done.returncode, done.stdout) == (2, b"")
    assert done.stderr == b"quotes: the id is not text (bytes that are not UTF-8)\n"


def test_a_file_name_may_be_any_bytes(cli, tmp_path):
    path = os.path.join(os.fsencode(tmp_path), b"\xff.jsonl")
    with open(path, "w") as file:
        file.write(json.dumps({"author": "A", "content": "From a file with an odd name."}))
    assert cli.ok("import", os.fsdecode(path)) == "1\n"


@pytest.mark.parametrize(
    ("args", "suggestion"),
    [
        (["lsit"], "did you mean 'list'?"),
        (["expotr"], "did you mean 'export'?"),
        (["tenants", "crate", "work"], "did you mean 'create'?"),
        (["--log-level", "dbug", "list"], "did you mean 'debug'?"),
    ],
)
def test_a_mistyped_choice_gets_did_you_mean(cli, args, suggestion):
    assert_refused(cli.run(*args), 2, suggestion)


def test_nothing_close_gets_the_list_of_choices(cli):
    assert_refused(cli.run("zzzz"), 2, "choose from 'gui', 'add'")


def test_the_hint_for_an_unknown_tenant_works_as_written(cli, repo):
    name = "my quotes; $(touch pwned) 'n' more"
    line = cli.run("--tenant", name, "list").stderr
    hint = line.split("create it with: ", 1)[1].strip()
    assert shlex.quote(name) in hint
    argv = shlex.split(hint)
    assert argv[0] == "quotes"
    assert Cli().ok(*argv[1:]) == ""
    assert cli.ok("--tenant", name, "list") == ""
    cli.ok("tenants", "delete", name, "--yes")


def test_a_name_that_cannot_be_created_gets_no_hint_to_create_it(cli):
    result = cli.run("--tenant", "bad name/x", "list")
    assert_refused(result, 1, "no tenant named 'bad name/x'")
    assert "create" not in result.stderr


def test_deleting_an_unknown_tenant_does_not_suggest_creating_it(cli):
    result = cli.run("tenants", "delete", "nope", "--yes")
    assert_refused(result, 1, "no tenant named 'nope'")
    assert "create" not in result.stderr


def _example(help_text: str) -> str:
    """The example a command's help gives, as one shell command line."""
    lines = help_text.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("example"))
    words = [lines[start].split(":", 1)[1]]
    for line in lines[start + 1 :]:
        if not line.startswith(" "):
            break
        words.append(line)
    return " ".join(word.strip() for word in words if word.strip())


@pytest.mark.e2e
@pytest.mark.parametrize("command", ["import", "export", "add"])
def test_the_example_in_the_help_works_as_written(file_cli, db, tmp_path, command):
    file_cli.ok("seed")
    example = _example(file_cli.ok(command, "--help"))
    assert re.match(r"quotes ", example), example
    quotes = " ".join(shlex.quote(word) for word in file_cli.argv())
    script = f'quotes() {{ {quotes} "$@"; }}\nset -e\n{example}\n'
    done = subprocess.run(
        ["bash", "-c", script],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # the example's files are relative: this test's own folder
        env=cli_env(PYTHONPATH=str(ROOT)),
        timeout=WAIT_S,
    )
    assert (done.returncode, done.stderr) == (0, ""), (example, done)
