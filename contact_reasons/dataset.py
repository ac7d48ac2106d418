"""The labelled example messages shipped with the app (data/labelled_messages.json).

Written to read like travellers: Dutch, English and both mixed, typos, several questions in one.
Split once, stratified per reason with a fixed seed, into "train" (248) and "held_out" (106); the
split is stored in the file and never redrawn. Nothing is tuned on the held-out rows.
"""

import json
from pathlib import Path

PATH = Path(__file__).resolve().parent / "data" / "labelled_messages.json"


def rows(split: str | None = None) -> list[dict]:
    found = json.loads(PATH.read_text(encoding="utf-8"))
    return [r for r in found if split is None or r["split"] == split]
