"""bench/run.sh refuses a bad command line before it installs, builds or starts anything: one error line, the usage
line, exit status 2."""
import subprocess

import pytest

from conftest import ROOT

USAGE = "usage: bench/run.sh [--duration SECONDS] [--read-limit SECONDS] [--docs FILE | --no-docs]   (--help for more)"


@pytest.mark.parametrize("args, error", [
    (["--duration"], "--duration needs a value"),
    (["--read-limit"], "--read-limit needs a value"),
    (["--docs"], "--docs needs a value"),
    (["--duration", "--no-docs"], "--duration takes whole seconds (got '--no-docs')"),
    (["--duration", "0"], "--duration takes whole seconds (got '0')"),
    (["--read-limit", "1.5"], "--read-limit takes whole seconds (got '1.5')"),
    (["--fast"], "unknown option: --fast"),
])
def test_a_bad_command_line_is_refused_with_the_usage(args, error):
    result = subprocess.run([str(ROOT / "bench/run.sh"), *args], cwd=ROOT, capture_output=True, text=True, timeout=30,
                            check=False)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"error: {error}\n{USAGE}\n")
