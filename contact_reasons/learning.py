"""The contact-reason model itself: scikit-learn, no database, so the bench and the worker share it.

Character n-grams (2–5, inside word boundaries) carry Dutch and English alike and shrug off typos
("kofer", "vertaagd"); word unigrams and bigrams add whole phrases ("geld terug"). A logistic
regression gives probabilities, the largest of which is the confidence shown to the agent.
"""

import io
from dataclasses import dataclass

import joblib
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import FeatureUnion, Pipeline

# Chosen by cross-validation on the training split (bench/contact_reasons.py --tune), never on the
# held-out split.
C = 10.0


def pipeline_build() -> Pipeline:
    features = FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    strip_accents="unicode",
                    lowercase=True,
                    sublinear_tf=True,
                    min_df=2,
                ),
            ),
            (
                "words",
                TfidfVectorizer(
                    ngram_range=(1, 2),
                    strip_accents="unicode",
                    lowercase=True,
                    sublinear_tf=True,
                    min_df=2,
                ),
            ),
        ]
    )
    classifier = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
    return Pipeline([("features", features), ("classifier", classifier)])


def fit(texts: list[str], reasons: list[str]) -> Pipeline:
    return pipeline_build().fit(texts, reasons)


@dataclass(frozen=True)
class Guess:
    reason: str
    confidence: float


def predict(model: Pipeline, text: str) -> Guess:
    probabilities = model.predict_proba([text])[0]
    best = int(probabilities.argmax())
    return Guess(reason=str(model.classes_[best]), confidence=float(probabilities[best]))


def scores(truth: list[str], guessed: list[str]) -> tuple[float, float]:
    """(accuracy, macro-F1): every reason counts alike in F1, however rare."""
    return accuracy_score(truth, guessed), f1_score(
        truth, guessed, average="macro", zero_division=0
    )


def dumps(model: Pipeline) -> bytes:
    buffer = io.BytesIO()
    joblib.dump(model, buffer, compress=3)
    return buffer.getvalue()


def loads(blob: bytes) -> Pipeline:
    """Only ever what dumps() wrote into our own database (joblib is pickle: never load others')."""
    return joblib.load(io.BytesIO(bytes(blob)))
