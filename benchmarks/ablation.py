"""An eval run with parts of the rules extractor switched off, to show what each buys.

    python benchmarks/ablation.py --without gate -- --dataset muc-test --backend rules -o runs/muc-test-nogate
    python benchmarks/ablation.py --without learned -- --dataset muc-test --backend rules -o runs/muc-test-rules
    python benchmarks/ablation.py --without rules -- --dataset muc-test --backend rules -o runs/muc-test-learned

Parts (`summarizer/extract/switches.py`): `gate` the relevance gate (off: every article is read);
`rules` the hand sentence shapes for names; `learned` the learned name roles; `lexicon` the role
lexicon; `ranker` the perpetrator ranker on all-caps copy; `caps` all-caps copy read softened;
`claims` claims of responsibility as perpetrators. The switch is the `without` setting
(`SUMMARIZER_WITHOUT`), so the run is an ordinary one with other settings; everything after `--`
goes to `summarizer eval run`. `figure-model`: casualty figures by the hand
patterns alone; `figure-rules`: by the learned figure-role model alone (both set `SUMMARIZER_FIGURE_ROLES`).
"""

from __future__ import annotations

import argparse
import os
import runpy
import sys
from typing import get_args

from summarizer.config import RulesPart


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    figure_parts = {"figure-model": "rules", "figure-rules": "learned"}
    parser.add_argument("--without", choices=[*get_args(RulesPart), *figure_parts], action="append", required=True)
    parser.add_argument("rest", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    os.environ["SUMMARIZER_WITHOUT"] = ",".join(p for p in args.without if p not in figure_parts)
    for part, mode in figure_parts.items():
        if part in args.without:
            os.environ["SUMMARIZER_FIGURE_ROLES"] = mode
    rest = [a for a in args.rest if a != "--"]
    sys.argv = ["summarizer", "eval", "run", *rest]
    runpy.run_module("summarizer", run_name="__main__")


if __name__ == "__main__":
    main()
