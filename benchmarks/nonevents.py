"""How many articles of a non-event set come out with an event (the relevance gate's false alarms).

    python benchmarks/nonevents.py evals/nonevents/tune
    python benchmarks/nonevents.py evals/nonevents/measure      # the final measurement only

Every file in the folder reports no violent event, so each article with an event is an error.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from summarizer import load_settings, summarize


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--backend", default="rules")
    args = parser.parse_args()
    settings = load_settings(backend=args.backend, use_cache=False)
    files = sorted(args.folder.glob("*.txt"))
    wrong = 0
    for path in files:
        summary = summarize(path.read_text(encoding="utf-8"), settings=settings)
        if summary.events:
            wrong += 1
            primary = summary.primary
            what = primary.what.type if primary else "?"
            print(f"EVENT  {path.name}: {what} ({len(summary.events)} events)")
        else:
            print(f"ok     {path.name}: {'; '.join(w for w in summary.warnings if 'relevance' in w)}")
    print(f"no event on {len(files) - wrong} of {len(files)}")


if __name__ == "__main__":
    main()
