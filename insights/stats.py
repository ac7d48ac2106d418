"""Small statistics for the dashboard: percentiles of histograms and the headline's interval."""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

Z95 = 1.959963984540054


def percentile(values: Iterable[float], p: float) -> float | None:
    """The p-th percentile (nearest rank) of plain values; None for none."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def histogram_percentile(counts: Mapping[float, float], p: float) -> float | None:
    """The p-th percentile (nearest rank) of a histogram {bucket upper bound: count}."""
    total = sum(counts.values())
    if total <= 0:
        return None
    rank = max(1.0, math.ceil(p / 100 * total))
    seen = 0.0
    for bound in sorted(counts):
        seen += counts[bound]
        if seen >= rank:
            return bound
    return max(counts)


@dataclass(frozen=True)
class RateComparison:
    """Contacts per 1,000 travellers in two groups, and the difference with its 95% interval."""

    with_contacts: int
    with_travellers: int
    without_contacts: int
    without_travellers: int

    @staticmethod
    def _rate(contacts: int, travellers: int) -> float | None:
        return 1000 * contacts / travellers if travellers else None

    @property
    def with_rate(self) -> float | None:
        return self._rate(self.with_contacts, self.with_travellers)

    @property
    def without_rate(self) -> float | None:
        return self._rate(self.without_contacts, self.without_travellers)

    def interval(self, contacts: int, travellers: int) -> tuple[float, float] | None:
        """A group's rate, 95%: contacts are Poisson, the interval is Wilson's score interval for
        the rate (the normal interval's fix at small counts), per 1,000."""
        if not travellers:
            return None
        lam = contacts / travellers
        z2 = Z95**2
        centre = lam + z2 / (2 * travellers)
        half = Z95 * math.sqrt(lam / travellers + z2 / (4 * travellers**2))
        return (1000 * max(0.0, centre - half), 1000 * (centre + half))

    @property
    def difference(self) -> float | None:
        if self.with_rate is None or self.without_rate is None:
            return None
        return self.with_rate - self.without_rate

    @property
    def difference_interval(self) -> tuple[float, float] | None:
        """with − without, 95%: the normal approximation for a difference of two Poisson rates,
        var = c₁/n₁² + c₀/n₀² (per traveller), times 1,000."""
        if self.difference is None:
            return None
        var = (
            self.with_contacts / self.with_travellers**2
            + self.without_contacts / self.without_travellers**2
        )
        half = 1000 * Z95 * math.sqrt(var)
        return (self.difference - half, self.difference + half)
