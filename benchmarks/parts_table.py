"""Per-field F1 of the default extractor with its learned parts on or off, as one Markdown table.

    python benchmarks/parts_table.py                      # held-out: gvdb-dev-test, muc-test
    python benchmarks/parts_table.py --datasets gvdb-dev-tune muc-dev gvdb-dev-test muc-test

Three configurations, each an ordinary `summarizer eval run --backend rules` with other settings:
"rules alone" (`SUMMARIZER_WITHOUT=learned`, `SUMMARIZER_FIGURE_ROLES=rules`), "learned alone"
(`SUMMARIZER_WITHOUT=rules`, `SUMMARIZER_FIGURE_ROLES=learned`; the gate, lexicon and ranker stay, as they
are learned too) and "both" (the defaults). Runs go to runs/parts/<config>-<dataset>.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

CONFIGS = {
    "rules alone": {"SUMMARIZER_WITHOUT": "learned", "SUMMARIZER_FIGURE_ROLES": "rules"},
    "learned alone": {"SUMMARIZER_WITHOUT": "rules", "SUMMARIZER_FIGURE_ROLES": "learned"},
    "both (default)": {},
}
FIELDS = ("what", "who", "perpetrator", "victim", "place", "country_code", "date", "killed", "injured")


def run(dataset: str, config: str, out: Path) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k not in ("SUMMARIZER_WITHOUT", "SUMMARIZER_FIGURE_ROLES")}
    env.update(CONFIGS[config])
    cmd = [
        sys.executable,
        "-m",
        "summarizer",
        "eval",
        "run",
        "--dataset",
        dataset,
        "--backend",
        "rules",
        "-o",
        str(out),
    ]
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    metrics: dict[str, object] = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    return metrics


def row(dataset: str, config: str, m: dict[str, object]) -> str:
    fields = m["fields"]
    assert isinstance(fields, dict)
    cells = [f"{fields[f]['f1']:.3f}" if f in fields else "—" for f in FIELDS]
    events = m["events"]
    assert isinstance(events, dict)
    nonevent = m.get("no_event_articles") or {}
    assert isinstance(nonevent, dict)
    quiet = f"{nonevent.get('with_predicted_events', 0)} / {nonevent['articles']}" if nonevent.get("articles") else "—"
    return (
        f"| {dataset} | {config} | {m['headline_f1']:.3f} | " + " | ".join(cells) + f" | {events['f1']:.3f} | {quiet} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", nargs="+", default=["gvdb-dev-test", "muc-test"])
    parser.add_argument("--out", type=Path, default=Path("runs/parts"))
    args = parser.parse_args()
    print("| dataset | parts | headline | " + " | ".join(FIELDS) + " | events F1 | no-incident → event |")
    print("|---|---|---" + "|---" * len(FIELDS) + "|---|---|")
    for dataset in args.datasets:
        for config in CONFIGS:
            slug = config.split()[0]
            print(row(dataset, config, run(dataset, config, args.out / f"{slug}-{dataset}")), flush=True)


if __name__ == "__main__":
    main()
