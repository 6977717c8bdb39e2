"""How long the CLI takes to start (issue 13: `roster --help` and `roster check-scenario` under
1 s on this machine): `python -m planner.cli.startup_bench [runs]` prints the median and the
slowest of each over fresh processes, as a user would see them."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROSTER = Path(sys.executable).with_name("roster")
COMMANDS = {
    "roster --help": [str(ROSTER), "--help"],
    "roster check-scenario scenarios/contract-2026.yaml": [
        str(ROSTER),
        "check-scenario",
        str(ROOT / "scenarios" / "contract-2026.yaml"),
    ],
}
TARGET_S = 1.0


def measure(argv: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        times.append(time.perf_counter() - began)
    return times


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    for name, argv in COMMANDS.items():
        times = measure(argv, runs)
        median = statistics.median(times)
        verdict = "met" if median < TARGET_S else "NOT met"
        print(
            f"{name}: median {median:.2f} s, slowest {max(times):.2f} s over {runs} runs "
            f"(target < {TARGET_S:g} s: {verdict})"
        )


if __name__ == "__main__":
    main()
