"""`make bench`: every performance bar, each measured against a raw
baseline in the same run (these machines are noisy)."""

import argparse
import sys

from .common import Verdicts, setup_django


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--runs", type=int, default=200, help="timed requests per measurement")
    parser.add_argument("--only", choices=["cases", "transfers", "search", "notifications", "disclosure", "web", "statistics"], help="run one benchmark")
    parser.add_argument("--transfers", type=int, default=1000, help="transfers to drive through the API")
    parser.add_argument("--search-cases", type=int, help="index only this many cases (default: all 100,000)")
    parser.add_argument("--clients", type=int, default=1000, help="WebSocket clients for the notifications bench")
    args = parser.parse_args()
    url = setup_django()
    print(f"benchmarks on {url.rsplit('@', 1)[-1]}")
    from . import cases_list, disclosure, notifications, search, statistics, transfers, web

    verdicts = Verdicts()
    if args.only in (None, "cases"):
        cases_list.run(verdicts, runs=args.runs)
    if args.only in (None, "transfers"):
        transfers.run(verdicts, count=args.transfers)
    if args.only in (None, "search"):
        search.run(verdicts, runs=args.runs, count=args.search_cases)
    if args.only in (None, "disclosure"):
        disclosure.run(verdicts)
    if args.only in (None, "web"):
        web.run(verdicts, runs=args.runs)
    if args.only in (None, "statistics"):
        statistics.run(verdicts, runs=min(args.runs, 60))
    if args.only in (None, "notifications"):
        notifications.run(verdicts, clients=args.clients)
    print("\nall bars met" if not verdicts.failed else f"\nbars missed: {', '.join(verdicts.failed)}")
    return 1 if verdicts.failed else 0


if __name__ == "__main__":
    sys.exit(main())
