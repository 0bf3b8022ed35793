"""Shared pieces of the benchmarks: a PostgreSQL database of their own,
timing with percentiles, and a verdict line per bar."""

import os
import statistics
import sys
import time
from urllib.parse import urlsplit, urlunsplit

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/casehub_bench"


def setup_django() -> str:
    """Point Django at the bench database (never the development one) and
    create it if needed. Returns the database URL."""
    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("the benchmarks need PostgreSQL (set BENCH_DATABASE_URL)")
    _ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casehub.settings")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def _ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def timed(fn, *, runs: int, warmup: int = 5) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def timed_pair(a, b, *, runs: int, warmup: int = 5) -> tuple[list[float], list[float]]:
    """Time `a` and `b` alternately, so that both run under the same
    conditions (a drifting machine, caches and a database backend warmed or
    cooled by whatever ran just before) rather than each in a tight loop of
    its own."""
    for _ in range(warmup):
        a()
        b()
    first, second = [], []
    for _ in range(runs):
        start = time.perf_counter()
        a()
        middle = time.perf_counter()
        b()
        first.append(middle - start)
        second.append(time.perf_counter() - middle)
    return first, second


def p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


class Verdicts:
    def __init__(self):
        self.failed = []

    def check(self, label: str, value: float, bar: str, ok: bool) -> None:
        print(f"  {'PASS' if ok else 'FAIL'}  {label}: {value:.2f} (bar {bar})")
        if not ok:
            self.failed.append(label)

    def median(self, samples):
        return statistics.median(samples)
