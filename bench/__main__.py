"""Dispatcher: ``python -m bench NAME [args]`` imports ``bench.NAME`` and calls ``main(argv)``.

A benchmark is a module ``bench/<name>.py`` with ``main(argv: list[str]) -> int``; adding one
needs no change here. ``python -m bench`` alone lists them.
"""

import importlib
import pkgutil
import sys
from pathlib import Path


def available() -> list[str]:
    return sorted(
        info.name
        for info in pkgutil.iter_modules([str(Path(__file__).parent)])
        if not info.name.startswith("_")
    )


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"}:
        print("usage: python -m bench NAME [args]\n\nbenchmarks:")
        for name in available():
            print(f"  {name}")
        return 0 if argv else 2
    name, rest = argv[0], argv[1:]
    if name not in available():
        print(f"Unknown benchmark {name!r}; known: {', '.join(available())}", file=sys.stderr)
        return 2
    module = importlib.import_module(f"bench.{name}")
    return int(module.main(rest) or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
