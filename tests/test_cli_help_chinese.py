"""Every `jiuye` command, sub-command, option and argument explains itself in Chinese (issue 14).

Walks the Typer app as Click sees it, so a command added later without a Chinese help fails here."""
from __future__ import annotations

import re

import typer.main

CJK = re.compile(r"[\u4e00-\u9fff]")


def _walk(cmd, path: str):
    yield path, cmd
    if getattr(cmd, "commands", None):  # a group (Typer ships its own Click)
        for name, sub in sorted(cmd.commands.items()):
            yield from _walk(sub, f"{path} {name}")


def test_every_command_and_option_has_a_chinese_help():
    from jiuye.cli import app

    root = typer.main.get_command(app)
    missing = []
    commands = list(_walk(root, "jiuye"))
    assert len(commands) > 10  # the sub-apps (db, cases, serve …) are registered
    for path, cmd in commands:
        if not CJK.search(cmd.help or cmd.short_help or ""):
            missing.append(f"{path}: {(cmd.help or '').strip()[:60]!r}")
        for p in cmd.params:
            if p.name == "help":
                continue
            text = getattr(p, "help", None) or ""
            if not CJK.search(text):
                missing.append(f"{path} {'/'.join(p.opts)}: {text[:60]!r}")
    assert not missing, "help without Chinese:\n" + "\n".join(missing)


def test_help_output_is_chinese():
    """`jiuye --help` itself: the command list shows the Chinese first lines."""
    from typer.testing import CliRunner

    from jiuye.cli import app

    out = CliRunner().invoke(app, ["--help"]).output
    assert "兴安盟" in out
    for line in out.splitlines():
        m = re.match(r"^│\s+([a-z][a-z-]+)\s{2,}(.*?)\s*│$", line)
        if m:
            assert CJK.search(m.group(2)), line
