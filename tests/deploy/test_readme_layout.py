"""The README's "Layout" block shows every top-level folder of the repository (a new folder must be explained there)."""
from __future__ import annotations

import re
import subprocess

from conftest import ROOT


def layout_block(readme: str) -> str:
    section = readme[readme.index("## Layout"):]
    match = re.search(r"```\n(.*?)```", section, re.DOTALL)
    assert match, "no code block under ## Layout"
    return match.group(1)


def shown_folders(block: str) -> set[str]:
    """First path segment of each entry ('libs/http/  ...' shows libs)."""
    return {line.split("/")[0] for line in block.splitlines() if re.match(r"^[\w.-]+/", line)}


def tracked_folders() -> set[str]:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    folders = {f.split("/")[0] for f in files if "/" in f}
    assert {"libs", "services", "tests"} <= folders, folders
    return folders


def test_layout_shows_every_top_level_folder():
    shown = shown_folders(layout_block((ROOT / "README.md").read_text()))
    assert sorted(tracked_folders() - shown) == []


def test_a_missing_folder_is_caught():
    block = layout_block((ROOT / "README.md").read_text())
    without_bench = "\n".join(line for line in block.splitlines() if not line.startswith("bench/"))
    assert "bench" in tracked_folders() - shown_folders(without_bench)
