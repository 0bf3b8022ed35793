"""`make bench`: every performance bar, each measured against a raw
baseline in the same run (these machines are noisy)."""

import argparse
import sys

from .common import Verdicts, setup_django


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--runs", type=int, default=200, help="timed requests per measurement")
    args = parser.parse_args()
    url = setup_django()
    print(f"benchmarks on {url.rsplit('@', 1)[-1]}")
    from . import cases_list

    verdicts = Verdicts()
    cases_list.run(verdicts, runs=args.runs)
    print("\nall bars met" if not verdicts.failed else f"\nbars missed: {', '.join(verdicts.failed)}")
    return 1 if verdicts.failed else 0


if __name__ == "__main__":
    sys.exit(main())
