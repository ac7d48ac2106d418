"""Honest accuracy of the contact-reason model and of the keyword rules, on the held-out split.

    .venv/bin/python bench/contact_reasons.py          # held-out figures and the learning curve
    .venv/bin/python bench/contact_reasons.py --tune   # choose C by cross-validation on train only

The model is trained on the "train" rows of contact_reasons/data/labelled_messages.json and scored
on the "held_out" rows, which no rule or setting was tuned on. The rules are the baseline measured
in the same run; the trip-question recogniser (update_groups/intents.py) is scored on the same
held-out rows against their trip_question flag. The learning curve trains on stratified subsets of
the training rows (five draws each) and scores each on the whole held-out split.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Plain modules: no Django set-up needed.
from contact_reasons import dataset, learning, rules  # noqa: E402
from update_groups import intents  # noqa: E402

SIZES = (25, 50, 100, 150, 200)


def _subset(rows: list[dict], n: int, seed: int) -> list[dict]:
    """n training rows, every reason in proportion (at least two each)."""
    rng = random.Random(seed)
    by_reason: dict[str, list[dict]] = {}
    for row in rows:
        by_reason.setdefault(row["reason"], []).append(row)
    picked = []
    for group in by_reason.values():
        take = max(2, round(n * len(group) / len(rows)))
        picked += rng.sample(group, min(take, len(group)))
    return picked


def _model_scores(train: list[dict], held_out: list[dict]) -> tuple[float, float]:
    model = learning.fit([r["text"] for r in train], [r["reason"] for r in train])
    guessed = list(model.predict([r["text"] for r in held_out]))
    return learning.scores([r["reason"] for r in held_out], guessed)


def _tune(train: list[dict]) -> None:
    from sklearn.model_selection import cross_val_score

    texts, reasons = [r["text"] for r in train], [r["reason"] for r in train]
    for c in (0.3, 1, 3, 10, 30, 100):
        learning.C = c
        cv = cross_val_score(learning.pipeline_build(), texts, reasons, cv=5, scoring="f1_macro")
        print(f"C={c:<6} 5-fold macro-F1 on train: {cv.mean():.3f} ± {cv.std():.3f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tune", action="store_true")
    args = parser.parse_args()
    train, held_out = dataset.rows("train"), dataset.rows("held_out")
    if args.tune:
        _tune(train)
        return
    truth = [r["reason"] for r in held_out]
    print(
        f"labelled messages: {len(train)} train, {len(held_out)} held out, "
        f"{len(set(truth))} reasons"
    )

    started = time.perf_counter()
    model = learning.fit([r["text"] for r in train], truth_train := [r["reason"] for r in train])
    trained_in = time.perf_counter() - started
    guessed = list(model.predict([r["text"] for r in held_out]))
    accuracy, f1 = learning.scores(truth, guessed)
    print(
        f"model  (trained on {len(truth_train)} in {trained_in:.2f}s): "
        f"accuracy {accuracy:.1%}, macro-F1 {f1:.3f}"
    )

    by_rules = [rules.reason_by_rules(r["text"]) for r in held_out]
    accuracy, f1 = learning.scores(truth, by_rules)
    print(f"rules  (baseline, same held-out rows):   accuracy {accuracy:.1%}, macro-F1 {f1:.3f}")

    confident = [
        (g.reason, r["reason"])
        for r in held_out
        if (g := learning.predict(model, r["text"])).confidence >= 0.8
    ]
    if confident:
        right = sum(a == b for a, b in confident)
        print(
            f"model at confidence >= 0.8 (what routing uses): {len(confident)}/{len(held_out)} "
            f"messages, {right / len(confident):.1%} right"
        )

    several = [r for r in held_out if r["several_questions"]]
    if several:
        right = sum(
            m == r["reason"] for m, r in zip(model.predict([r["text"] for r in several]), several)
        )
        print(f"several questions in one: model {right}/{len(several)} right")

    tp = fp = fn = tn = 0
    for row in held_out:
        said, asked = intents.is_trip_question(row["text"]), row["trip_question"]
        tp, fp = tp + (said and asked), fp + (said and not asked)
        fn, tn = fn + (asked and not said), tn + (not asked and not said)
    print(
        f"trip-question recogniser on held-out: accuracy {(tp + tn) / len(held_out):.1%}, "
        f"precision {tp / max(1, tp + fp):.1%}, recall {tp / max(1, tp + fn):.1%} "
        f"({tp + fn} trip questions)"
    )

    print("learning curve (labels → held-out accuracy / macro-F1, mean of 5 draws):")
    for n in (*SIZES, len(train)):
        runs = [
            _model_scores(_subset(train, n, seed) if n < len(train) else train, held_out)
            for seed in range(5 if n < len(train) else 1)
        ]
        print(
            f"  {n:>4} labels: accuracy {statistics.mean(a for a, _ in runs):.1%}, "
            f"macro-F1 {statistics.mean(f for _, f in runs):.3f}"
        )


if __name__ == "__main__":
    main()
