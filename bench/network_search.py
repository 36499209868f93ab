"""Network benchmark: ranked practice search through the selector (``practice_search``, the ORM
query the pages and the API run) against the database's bare full-text query (FTS5 ``bm25`` or
PostgreSQL ``ts_rank`` in hand-written SQL), first page of 20, in the same run.

    uv run python -m bench network_search --scale 1      # SQLite file in COMPACTS_DATA_DIR
    DATABASE_URL=postgres://... uv run python -m bench network_search --scale 1

Seeds (or finishes seeding) the synthetic practices of ``compacts seed`` first. Prints p50 and p95
per query and overall, as ratios to the bare query, and writes the "Network" section of
docs/performance.md (``--no-write`` to only print). Goal: within 1.5x at p95.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import time
from pathlib import Path

QUERIES = [
    "migrants",  # very common word
    "remittances corridor",  # two words
    "vaccination children",
    '"health services"',  # phrase
    "detention -children",  # exclusion
    "trafficking OR smuggling",  # alternatives
]
START, END = "<!-- network:start -->", "<!-- network:end -->"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compacts.config.settings.local")
    import django

    django.setup()


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered), p95


def _measure(function, repeat: int) -> list[float]:
    function()  # warm caches
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return samples


def run(*, scale: float, repeat: int) -> str:
    from django.db import connection

    from compacts.network import search
    from compacts.network.models import Practice
    from compacts.network.seed import seed_scale
    from compacts.network.selectors import practice_search

    seed_scale(stdout=io.StringIO(), scale=scale)
    total = Practice.objects.filter(state="published").count()
    rows = []
    all_selector: list[float] = []
    all_bare: list[float] = []
    for query in QUERIES:
        selector_ids = [p.pk for p in practice_search(query=query).practices[:20]]
        bare_ids = [pk for pk, _ in search.bare_search(query, limit=20)]
        same = selector_ids == bare_ids
        selector = _measure(lambda q=query: list(practice_search(query=q).practices[:20]), repeat)
        bare = _measure(lambda q=query: search.bare_search(q, limit=20), repeat)
        all_selector += selector
        all_bare += bare
        s50, s95 = _percentiles(selector)
        b50, b95 = _percentiles(bare)
        rows.append(
            f"| `{query}` | {b50 * 1000:.1f} | {b95 * 1000:.1f} | {s50 * 1000:.1f} | "
            f"{s95 * 1000:.1f} | {s50 / b50:.2f}x | {s95 / b95:.2f}x | {'yes' if same else 'NO'} |"
        )
    s50, s95 = _percentiles(all_selector)
    b50, b95 = _percentiles(all_bare)
    engine = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite FTS5"
    lines = [
        f"### Practice search on {engine} ({total:,} published practices, {repeat} runs a query)",
        "",
        "| Query | bare p50 ms | bare p95 ms | selector p50 ms | selector p95 ms | p50 ratio "
        "| p95 ratio | same top 20 |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
        *rows,
        f"| **all queries** | {b50 * 1000:.1f} | {b95 * 1000:.1f} | {s50 * 1000:.1f} | "
        f"{s95 * 1000:.1f} | **{s50 / b50:.2f}x** | **{s95 / b95:.2f}x** | |",
        "",
    ]
    return "\n".join(lines)


def write_section(markdown: str, *, engine_key: str, path: Path) -> None:
    """Replace this engine's part of the "Network" section of docs/performance.md."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    start, end = (
        START.replace("start", f"{engine_key}:start"),
        END.replace("end", f"{engine_key}:end"),
    )
    block = f"{start}\n{markdown}\n{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        _, after = rest.split(end, 1)
        text = before + block + after
    else:
        header = "## Network: ranked practice search"
        intro = (
            f"{header}\n\n`uv run python -m bench network_search --scale 1` (and with "
            "`DATABASE_URL` for PostgreSQL). The selector is `network.selectors.practice_search` "
            "(filters, ranking, the ORM); the baseline is the engine's bare full-text query in "
            "hand-written SQL, measured in the same run; first page of 20. Goal: within 1.5x at "
            "p95.\n"
        )
        if header not in text:
            text = text.rstrip() + "\n\n" + intro
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench network_search")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    _setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    markdown = run(scale=args.scale, repeat=args.repeat)
    print(markdown)
    if not args.no_write:
        write_section(
            markdown,
            engine_key=f"network-{connection.vendor}",
            path=Path(__file__).resolve().parents[1] / "docs" / "performance.md",
        )
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
