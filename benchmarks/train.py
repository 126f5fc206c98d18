"""Train the learned parts shipped in summarizer/extract/data/, deterministically, in one command.

    python benchmarks/train.py            # writes summarizer/extract/data/relevance.json, role_lexicon.tsv,
                                          # ordinary_words.txt, perpetrators.json, name_roles.json,
                                          # figure_roles.json

Training data (never the held-out sets): the GVDB tune half (`gvdb-dev-tune`, every article reports
a shooting), MUC-3/4 DEV (1,300 messages; relevant = at least one incident template in its key), and
evals/nonevents/tune and tune-extra (70 non-events). Not used: gvdb-dev-test, MUC TST1/TST2, evals/nonevents/measure.
The perpetrator ranker is trained on MUC DEV keys only; the name-role model (`training/names.py`) on MUC
DEV and the GVDB tune half.
Needs scikit-learn (the `train` extra); the package itself only reads the JSON it writes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedKFold
from training import figures as figure_training
from training import names as name_roles

from summarizer.eval.datasets import REPO_ROOT, load_dataset
from summarizer.eval.scoring import names_match
from summarizer.extract import perpetrators
from summarizer.extract.relevance import features
from summarizer.extract.rules import split_sentences

DATA = REPO_ROOT / "summarizer" / "extract" / "data"
MUC = Path(os.environ.get("SUMMARIZER_MUC_DIR") or REPO_ROOT.parent / "shared" / "data" / "muc")
SEED = 20261130
N_NONEVENTS = 70
NONEVENT_WEIGHT = 4.0
"""The 70 hand-written non-events stand for the kinds of article MUC and GVDB lack (sports, markets,
reviews, accidents): each counts as four."""
TARGET_RECALL = 0.98
"""The incident model's threshold keeps this share of the relevant training articles, out of fold."""
VIOLENT_RECALL = 0.995
VIOLENT_MAX_THRESHOLD = 0.6
"""The violent model's threshold keeps 99.5% of relevant training articles out of fold, and is never
above 0.6 (articles from other sources score lower than the training domains)."""
LEXICON_SUPPORT = 3
LEXICON_PRECISION = 0.3
"""A phrase joins the role lexicon when DEV keys name it in at least 3 messages and it is the named role
in at least 30% of the DEV messages where it occurs."""
GENERIC_GROUPS = {"men", "women", "children", "people", "police", "personnel"}
"""Victims are kept as descriptions of groups ("peasants", "jesuit priests"), never as one person's name
(a name learned from DEV would only recognise the same people again) nor one unnamed person ("a woman"):
GVDB names its victims, and "the woman" beside "Jane Doe" would be a second, wrong victim."""
N_GVDB = 196
"""Articles in gvdb-dev-tune (checked in `training_set`)."""


def muc_messages(texts: list[Path], keys: list[Path]) -> list[tuple[str, str, bool]]:
    """(id, text, relevant) for every message; relevant when its key has a template that is not all `*`."""
    messages: dict[str, str] = {}
    for path in texts:
        parts = re.split(r"^((?:DEV|TST\d)-MUC\d-\d{4})[^\n]*\n", path.read_text(encoding="latin-1"), flags=re.M)
        for i in range(1, len(parts) - 1, 2):
            messages[parts[i]] = parts[i + 1].strip()
    relevant: set[str] = set()
    for path in keys:
        for block in re.split(r"(?m)^(?=0\.\s+MESSAGE: ID)", path.read_text(encoding="latin-1")):
            ident = re.search(r"MESSAGE: ID\s+(\S+)", block)
            template = re.search(r"MESSAGE: TEMPLATE\s+(\S+)", block)
            if ident and template and template.group(1) != "*":
                relevant.add(ident.group(1))
    return [(i, t, i in relevant) for i, t in sorted(messages.items())]


def muc(split: str) -> list[tuple[str, str, bool]]:
    if split == "dev":
        return muc_messages(sorted(MUC.glob("dev-muc3-*")), sorted(MUC.glob("key-dev-*")))
    names = {"tst1": ("tst1-muc3", "key-tst1.v7"), "tst2": ("tst2-muc4", "key-tst2.v4")}[split]
    return muc_messages([MUC / names[0]], [MUC / names[1]])


def nonevents(folder: str) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((REPO_ROOT / "evals" / "nonevents" / folder).glob("*.txt"))]


def training_set() -> tuple[list[str], np.ndarray, np.ndarray]:
    texts, labels, weights = [], [], []
    gvdb = load_dataset("gvdb-dev-tune")
    assert len(gvdb) == N_GVDB, "the GVDB tune half changed: update N_GVDB"
    for article in gvdb:
        texts.append(article.text), labels.append(1), weights.append(1.0)
    for _, text, relevant in muc("dev"):
        texts.append(text), labels.append(int(relevant)), weights.append(1.0)
    for text in nonevents("tune") + nonevents("tune-extra"):
        texts.append(text), labels.append(0), weights.append(NONEVENT_WEIGHT)
    return texts, np.array(labels), np.array(weights)


def fit(texts: list[str], labels: np.ndarray, weights: np.ndarray) -> tuple[TfidfVectorizer, LogisticRegression]:
    vectorizer = TfidfVectorizer(analyzer=lambda t: list(features(t).elements()), sublinear_tf=True, min_df=3)
    x = vectorizer.fit_transform(texts)
    classifier = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000, solver="liblinear")
    classifier.fit(x, labels, sample_weight=weights)
    return vectorizer, classifier


def out_of_fold(texts: list[str], labels: np.ndarray, weights: np.ndarray) -> np.ndarray:
    scores = np.zeros(len(texts))
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    for train, test in folds.split(texts, labels):
        vec, clf = fit([texts[i] for i in train], labels[train], weights[train])
        scores[test] = clf.predict_proba(vec.transform([texts[i] for i in test]))[:, 1]
    return scores


def threshold_for(oof: np.ndarray, labels: np.ndarray, recall: float) -> float:
    positives = np.sort(oof[labels == 1])
    return float(positives[int((1 - recall) * len(positives))])


def export(vec: TfidfVectorizer, clf: LogisticRegression, threshold: float) -> dict[str, object]:
    coef = clf.coef_[0]
    rows = [[f, round(float(vec.idf_[j]), 5), round(float(coef[j]), 5)] for f, j in sorted(vec.vocabulary_.items())]
    return {"threshold": round(threshold, 5), "bias": round(float(clf.intercept_[0]), 5), "features": rows}


def role_lexicon() -> list[tuple[str, str, float, int]]:
    """(phrase, role, precision, support): a phrase the MUC DEV keys name as a perpetrator or victim, with
    how often it is one when it occurs in a DEV message that reports an incident."""
    articles = [a for a in load_dataset("muc-dev") if a.events]
    named: dict[tuple[str, str], set[str]] = {}
    for article in articles:
        for event in article.events:
            for actor in event.who:
                role = "perpetrator" if actor.role == "perpetrator" else "victim"
                for alt in actor.name.split(" / "):
                    phrase = " ".join(alt.lower().strip(' ?"').split())
                    if 3 <= len(phrase) <= 60:
                        named.setdefault((phrase, role), set()).add(article.id)
    folded = {a.id: " " + " ".join(re.findall(r"[a-z0-9]+", a.text.lower())) + " " for a in articles}
    words = Counter(w for text in folded.values() for w in text.split())
    rows = []
    for (phrase, role), ids in sorted(named.items()):
        key = " " + " ".join(re.findall(r"[a-z0-9]+", phrase)) + " "
        occurs = [i for i in folded if key in folded[i]]
        hits = len(ids & set(occurs))
        last = phrase.split()[-1]
        # a plural of a word the corpus also uses in the singular ("priests"), not a surname ("flores")
        plural = last.endswith("s") and words[last[:-1]] >= 5
        generic = role == "perpetrator" or plural or last in GENERIC_GROUPS
        if generic and hits >= LEXICON_SUPPORT and occurs and hits / len(occurs) >= LEXICON_PRECISION:
            rows.append((phrase, role, round(hits / len(occurs), 3), hits))
    return rows


def ordinary_words() -> list[str]:
    """Words the mixed-case GVDB tune half and the tuning non-events write in lower case: in an all-caps
    wire message, these are not parts of names."""
    texts = [a.text for a in load_dataset("gvdb-dev-tune")] + nonevents("tune") + nonevents("tune-extra")
    return sorted({w for text in texts for w in re.findall(r"\b[a-z][a-z'-]+\b", text)})


RANKER_SUPPORT = 2
"""A phrase is a perpetrator candidate when DEV keys name it as a perpetrator in at least two messages."""
RANKER_C = 0.5


def _folded(name: str) -> str:
    return " ".join(name.lower().strip(' ?"').split())


def perpetrator_ranker() -> dict[str, object]:
    """The perpetrator ranker (`extract/perpetrators.py`): candidates from DEV keys, one example per
    mention in a DEV message that reports an incident, labelled by the scorer's own name match against
    the key's perpetrators; the threshold maximises out-of-fold (grouped by message) perpetrator F1."""
    articles = [a for a in load_dataset("muc-dev") if a.events]
    gold = {a.id: sorted({x.name for e in a.events for x in e.who if x.role == "perpetrator"}) for a in articles}
    support = Counter(p for a in articles for p in {_folded(alt) for name in gold[a.id] for alt in name.split(" / ")})
    phrases = sorted(p for p, n in support.items() if n >= RANKER_SUPPORT and 3 <= len(p) <= 60)
    pattern = perpetrators.phrase_pattern(phrases)
    rows, labels, groups, keys = [], [], [], []
    for g, article in enumerate(articles):
        sentences = [s.text for s in split_sentences(article.text)]
        for written, feats in perpetrators.mentions(sentences, pattern):
            key = _folded(written)
            rows.append(dict.fromkeys(feats, 1))
            labels.append(int(any(names_match(key, name) for name in gold[article.id])))
            groups.append(g)
            keys.append(key)
    y, groups_a = np.array(labels), np.array(groups)

    def fit(idx: np.ndarray) -> tuple[DictVectorizer, LogisticRegression]:
        vec = DictVectorizer()
        x = vec.fit_transform([rows[i] for i in idx])
        clf = LogisticRegression(C=RANKER_C, max_iter=5000, solver="lbfgs")
        return vec, clf.fit(x, y[idx])

    oof = np.zeros(len(rows))
    for train, test in GroupKFold(n_splits=5).split(rows, y, groups_a):
        vec, clf = fit(train)
        oof[test] = clf.predict_proba(vec.transform([rows[i] for i in test]))[:, 1]
    best_p: dict[tuple[int, str], float] = {}
    for i, key in enumerate(keys):
        best_p[(groups[i], key)] = max(best_p.get((groups[i], key), 0.0), oof[i])
    positive = {(groups[i], keys[i]) for i in range(len(rows)) if y[i]}
    n_gold = sum(len(v) for v in gold.values())
    best = (0.0, 0.5)
    for t in np.arange(0.05, 0.95, 0.01):
        chosen = {k for k, p in best_p.items() if p >= t}
        tp = len(chosen & positive)
        f1 = 2 * tp / (len(chosen) + n_gold) if chosen else 0.0
        best = max(best, (f1, round(float(t), 2)))
    vec, clf = fit(np.arange(len(rows)))
    coef = clf.coef_[0]
    weights = [[f, round(float(coef[j]), 3)] for f, j in sorted(vec.vocabulary_.items()) if abs(coef[j]) >= 0.01]
    print(f"perpetrator ranker: {len(phrases)} candidate phrases, {len(rows)} mentions in {len(articles)} messages; "
          f"threshold {best[1]:.2f}, out-of-fold candidate F1 {best[0]:.3f}")  # fmt: skip
    return {"threshold": best[1], "bias": round(float(clf.intercept_[0]), 4), "phrases": phrases, "weights": weights}


WIRE_PASS = 1 / 3
"""All-caps wire copy (MUC) passes the incident model only above the threshold that lets through at most a
third of DEV's no-incident messages out of fold (about three in four that pass get an event, and the
goal is at most one in four with one)."""


def write_wire_gate(oof: np.ndarray, labels: np.ndarray, muc_negative: np.ndarray) -> None:
    muc_positive = np.zeros(labels.size, dtype=bool)
    muc_positive[N_GVDB : labels.size - N_NONEVENTS] = labels[N_GVDB : labels.size - N_NONEVENTS] == 1
    negatives = np.sort(oof[muc_negative])
    threshold = float(negatives[int((1 - WIRE_PASS) * len(negatives))])
    recall = np.mean(oof[muc_positive] >= threshold)
    print(f"wire gate: incident threshold {threshold:.3f}: out-of-fold MUC recall {recall:.3f}, "
          f"MUC irrelevant passed {np.mean(oof[muc_negative] >= threshold):.3f}")  # fmt: skip
    path = DATA / "wire_gate.json"
    path.write_text(json.dumps({"incident_threshold": round(threshold, 5)}) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=DATA / "relevance.json")
    args = parser.parse_args()
    texts, labels, weights = training_set()
    muc_negative = np.array(
        [i >= N_GVDB and i < labels.size - N_NONEVENTS and labels[i] == 0 for i in range(labels.size)]
    )
    # "violent": reports a violent event vs the written non-events (MUC's irrelevant messages left out:
    # many report army clashes, which are violent events in this schema).
    keep = np.flatnonzero(~muc_negative)
    v_texts, v_labels = [texts[i] for i in keep], labels[keep]
    oof = out_of_fold(v_texts, v_labels, np.ones(keep.size))
    v_threshold = min(VIOLENT_MAX_THRESHOLD, threshold_for(oof, v_labels, VIOLENT_RECALL))
    kept_out = np.mean(oof[v_labels == 0] < v_threshold)
    recall = np.mean(oof[v_labels == 1] >= v_threshold)
    print(f"violent: {keep.size} articles; threshold {v_threshold:.3f}: out-of-fold recall {recall:.3f}, "
          f"non-events kept out {kept_out:.3f}")  # fmt: skip
    violent = export(*fit(v_texts, v_labels, np.ones(keep.size)), v_threshold)
    # "incident": MUC's relevance (a terrorist incident reported) over everything, at high recall.
    oof = out_of_fold(texts, labels, weights)
    i_threshold = threshold_for(oof, labels, TARGET_RECALL)
    kept_out = np.mean(oof[muc_negative] < i_threshold)
    recall = np.mean(oof[labels == 1] >= i_threshold)
    print(f"incident: {len(texts)} articles; threshold {i_threshold:.3f}: out-of-fold recall {recall:.3f}, "
          f"MUC irrelevant kept out {kept_out:.3f}")  # fmt: skip
    incident = export(*fit(texts, labels, weights), i_threshold)
    write_wire_gate(oof, labels, muc_negative)
    args.out.write_text(
        json.dumps({"violent": violent, "incident": incident}, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB)")
    rows = role_lexicon()
    lines = ["phrase\trole\tprecision\tsupport"] + ["\t".join(map(str, r)) for r in rows]
    (DATA / "role_lexicon.tsv").write_text(
        "# learned by benchmarks/train.py from MUC-3/4 DEV keys\n" + "\n".join(lines) + "\n"
    )
    print(f"wrote role_lexicon.tsv ({len(rows)} phrases)")
    words = ordinary_words()
    header = "# learned by benchmarks/train.py: words the GVDB tune half and tuning non-events write in lower case\n"
    (DATA / "ordinary_words.txt").write_text(header + "\n".join(words) + "\n")
    print(f"wrote ordinary_words.txt ({len(words)} words)")
    ranker = perpetrator_ranker()
    (DATA / "perpetrators.json").write_text(json.dumps(ranker, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote perpetrators.json ({(DATA / 'perpetrators.json').stat().st_size // 1024} KB)")
    name_roles.write(DATA)
    figure_training.train(DATA / "figure_roles.json")


if __name__ == "__main__":
    main()
