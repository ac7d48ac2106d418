"""Accuracy of the chat recognisers on the labelled example messages.

    .venv/bin/python bench/recogniser_accuracy.py

Prints overall accuracy, the trip-question recogniser's precision and recall, and every miss.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from update_groups import intents as chat  # noqa: E402  (plain functions: no Django set-up needed)

LABELLED = ROOT / "tests" / "fixtures" / "chat" / "labelled_messages.json"


def main() -> None:
    rows = json.loads(LABELLED.read_text())
    right, misses, tp, fp, fn = 0, [], 0, 0, 0
    for row in rows:
        got = chat.classify(row["text"])
        right += got == row["label"]
        if got != row["label"]:
            misses.append((row["label"], got, row["text"]))
        asked, said = row["label"] == "trip_question", got == "trip_question"
        tp, fp, fn = tp + (asked and said), fp + (said and not asked), fn + (asked and not said)
    print(f"messages: {len(rows)}")
    print(f"accuracy (all labels): {right / len(rows):.1%} ({right}/{len(rows)})")
    print(f"trip question: precision {tp / max(1, tp + fp):.1%}, recall {tp / max(1, tp + fn):.1%}")
    for label, got, text in misses:
        print(f"  miss: expected {label}, got {got}: {text!r}")


if __name__ == "__main__":
    main()
