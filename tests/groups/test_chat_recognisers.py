import json
from pathlib import Path

import pytest

from update_groups import intents as chat

LABELLED = json.loads(
    (
        Path(__file__).resolve().parents[1] / "fixtures" / "chat" / "labelled_messages.json"
    ).read_text()
)


def test_labelled_messages_are_recognised():
    right = sum(chat.classify(row["text"]) == row["label"] for row in LABELLED)
    assert right / len(LABELLED) >= 0.95


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("TFABCDEFGH23", "TFABCDEFGH23"),
        ("hoi ik wil volgen: tfabcdefgh23!", "TFABCDEFGH23"),
        ("xTFABCDEFGH23", None),
        ("TFABCDEFGH234", None),
    ],
)
def test_follow_code_is_found_alone_or_in_a_sentence(text, code):
    assert chat.follow_code_find(text) == code


def test_share_and_remove_and_language():
    assert chat.share_text("DEEL : groetjes") == "groetjes"
    assert chat.share_text("deel je ervaring") is None
    assert chat.remove_target("verwijder Oma Truus") == "Oma Truus"
    assert chat.language_guess("Hi, I want to follow my sister") == "en"
    assert chat.language_guess("TFABCDEFGH23") is None
