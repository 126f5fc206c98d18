"""An eval run with one learned part switched off, to show what it buys.

    python benchmarks/ablation.py --without gate -- --dataset muc-test --backend rules -o runs/muc-test-nogate
    python benchmarks/ablation.py --without lexicon -- --dataset muc-test --backend rules -o runs/muc-test-nolex

`gate`: the relevance gate passes every article. `lexicon`: the role lexicon finds nothing. `caps`: an
all-caps message is read as it is (no ordinary-word lower-casing before looking for names). `ranker`:
the perpetrator ranker is off and the role lexicon names perpetrators, as before it. `figure-model`:
casualty figures by the hand patterns alone; `figure-rules`: by the learned figure-role model alone
(both set `SUMMARIZER_FIGURE_ROLES`, the settings switch). Everything after `--` goes to `summarizer eval run`.
"""

from __future__ import annotations

import argparse
import os
import re
import runpy
import sys

from summarizer.extract import people, relevance, rules


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parts = ["gate", "lexicon", "caps", "ranker", "figure-model", "figure-rules"]
    parser.add_argument("--without", choices=parts, action="append", required=True)
    parser.add_argument("rest", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if "gate" in args.without:
        relevance.judge = lambda text: relevance.Relevance(1.0, True)  # type: ignore[assignment]
    if "lexicon" in args.without:
        rules.lexicon = lambda: (re.compile(r"(?!x)x"), {})  # type: ignore[assignment]
    if "caps" in args.without:
        people.shouting = lambda sentences: False  # type: ignore[assignment]
    if "ranker" in args.without:
        rules.ranked_perpetrators = lambda sentences: None  # type: ignore[assignment]
    if "figure-model" in args.without:
        os.environ["SUMMARIZER_FIGURE_ROLES"] = "rules"
    if "figure-rules" in args.without:
        os.environ["SUMMARIZER_FIGURE_ROLES"] = "learned"
    rest = [a for a in args.rest if a != "--"]
    sys.argv = ["summarizer", "eval", "run", *rest]
    runpy.run_module("summarizer", run_name="__main__")


if __name__ == "__main__":
    main()
