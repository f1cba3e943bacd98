"""Trains scikit-learn TF-IDF + logistic regression on the split files written by rapport-check's
eval and prints its metrics next to Rapport's, plus scoring throughput for both.

Two scikit-learn pipelines: the library defaults most users start from, and the tuned pipeline of
issue 18 (word 1-2 + char_wb 2-5 TF-IDF, sublinear tf, min_df 2, logistic regression with C = 4).
Rapport is compared with the tuned one on every split, in F1 at the 0.5 threshold and in ROC AUC.

Usage: sklearn_baseline.py SPLITS_DIR RAPPORT_TSV
"""

import sys
import time
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score
from sklearn.pipeline import make_pipeline, make_union

SPLITS = ["youtube-psy", "youtube-katyperry", "youtube-lmfao", "sms", "clickbait"]


def read(path):
    labels, texts = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            label, text = line.rstrip("\n").split("\t", 1)
            labels.append(int(label))
            texts.append(text)
    return texts, labels


def default_pipeline():
    # What most tutorials and users start from: word unigrams, library defaults.
    return make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000))


def tuned_pipeline():
    # The tuned pipeline Rapport has to beat: word 1-2 + char_wb 2-5 TF-IDF, sublinear tf,
    # min_df 2, C = 4 (issue 18).
    return make_pipeline(
        make_union(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
        ),
        LogisticRegression(C=4, max_iter=3000),
    )


TUNED = "sklearn tuned word 1-2 + char_wb 2-5, C=4"


def scores(pipe, train, test):
    pipe.fit(*train)
    proba = pipe.predict_proba(test[0])[:, 1]
    pred = (proba >= 0.5).astype(int)
    y = test[1]
    return (
        precision_score(y, pred, zero_division=0),
        recall_score(y, pred, zero_division=0),
        f1_score(y, pred, zero_division=0),
        roc_auc_score(y, proba),
    )


def main():
    splits_dir, rapport_tsv = Path(sys.argv[1]), Path(sys.argv[2])
    rapport = {}
    for line in rapport_tsv.read_text().splitlines()[1:]:
        name, _tr, _te, _pos, *m = line.split("\t")
        rapport[name] = tuple(float(x) for x in m[:4])

    print("| split | train | test (pos) | system | precision | recall | F1 | ROC AUC |")
    print("|---|---:|---:|---|---:|---:|---:|---:|")
    verdicts = []
    for name in SPLITS:
        train = read(splits_dir / name / "train.tsv")
        test = read(splits_dir / name / "test.tsv")
        rows = [("rapport-check", rapport[name])]
        rows.append(("sklearn TF-IDF+LR (defaults)", scores(default_pipeline(), train, test)))
        tuned = scores(tuned_pipeline(), train, test)
        rows.append((TUNED, tuned))
        ours = rapport[name]
        verdicts.append(
            f"{name}: F1 {ours[2]:.3f} vs {tuned[2]:.3f} ({'ahead' if ours[2] > tuned[2] else 'BEHIND'}), "
            f"AUC {ours[3]:.3f} vs {tuned[3]:.3f} ({'ahead' if ours[3] > tuned[3] else 'BEHIND'})"
        )
        for system, (p, r, f, a) in rows:
            print(
                f"| {name} | {len(train[0])} | {len(test[0])} ({sum(test[1])}) | {system} "
                f"| {p:.3f} | {r:.3f} | {f:.3f} | {a:.3f} |"
            )

    print()
    print("rapport-check against the tuned pipeline:")
    for line in verdicts:
        print(f"- {line}")

    # Throughput: fit once on the clickbait training split, then time scoring of short texts.
    train = read(splits_dir / "clickbait" / "train.tsv")
    texts = read(splits_dir / "clickbait" / "test.tsv")[0]
    print()
    print("| system (one core) | texts/s, short texts |")
    print("|---|---:|")
    for system, pipe in [
        ("sklearn TF-IDF+LR (defaults)", default_pipeline()),
        (TUNED, tuned_pipeline()),
    ]:
        pipe.fit(*train)
        batch = texts * 10
        start = time.perf_counter()
        pipe.predict_proba(batch)
        elapsed = time.perf_counter() - start
        print(f"| {system}: transform + predict_proba | {len(batch) / elapsed:,.0f} |")


if __name__ == "__main__":
    main()
