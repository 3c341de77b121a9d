"""The national survey of designated officers' contracted time (pure module).

docs/domain.md, "The role": NCB survey, 2018-19, contracted time a week.
DMO (n=19): under half a day 10.5%, half a day 31.6%, 1 day 47.4%, 2 days 5.3%
(the published shares sum to 94.8%: the rest gave no usable answer).
DCO (n=50): half a day 2%, 1 day 14%, 2 days 20%, 3 days 8%, 4 days 14%,
5 days 30% (sum 88%).

:func:`position` places an area's time in that distribution: which band it
falls in, and the share of respondents who reported less and more time.
Shares are of the respondents who gave a band, so they sum to 100%.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

SURVEY_NAME = "National Children's Bureau survey of DCOs and DMOs, 2018-19"


@dataclass(frozen=True)
class Band:
    label: str
    low: Decimal  # days a week, inclusive
    high: Decimal  # exclusive
    percent: Decimal  # as published


# Bands are centred on the answers people gave (half a day, 1 day ...), so
# 0.75 days counts as "1 day" and 0.7 as "half a day".
DMO_BANDS = (
    Band("Under half a day", Decimal("0"), Decimal("0.5"), Decimal("10.5")),
    Band("Half a day", Decimal("0.5"), Decimal("0.75"), Decimal("31.6")),
    Band("1 day", Decimal("0.75"), Decimal("1.5"), Decimal("47.4")),
    Band("2 days or more", Decimal("1.5"), Decimal("99"), Decimal("5.3")),
)
DMO_RESPONDENTS = 19

DCO_BANDS = (
    Band("Half a day or less", Decimal("0"), Decimal("0.75"), Decimal("2")),
    Band("1 day", Decimal("0.75"), Decimal("1.5"), Decimal("14")),
    Band("2 days", Decimal("1.5"), Decimal("2.5"), Decimal("20")),
    Band("3 days", Decimal("2.5"), Decimal("3.5"), Decimal("8")),
    Band("4 days", Decimal("3.5"), Decimal("4.5"), Decimal("14")),
    Band("5 days or more", Decimal("4.5"), Decimal("99"), Decimal("30")),
)
DCO_RESPONDENTS = 50

BANDS = {"dmo": DMO_BANDS, "dco": DCO_BANDS}
RESPONDENTS = {"dmo": DMO_RESPONDENTS, "dco": DCO_RESPONDENTS}


@dataclass(frozen=True)
class Position:
    role: str
    days: Decimal
    band: Band
    less_percent: Decimal  # share of respondents with less time than this band
    same_percent: Decimal
    more_percent: Decimal

    @property
    def summary(self) -> str:
        who = "DMOs" if self.role == "dmo" else "DCOs"
        return (
            f"In the '{self.band.label}' band: {self.less_percent}% of {who} surveyed had "
            f"less time, {self.same_percent}% the same and {self.more_percent}% more."
        )


def _normalised(bands: tuple[Band, ...]) -> list[Decimal]:
    total = sum(b.percent for b in bands)
    return [(b.percent * 100 / total).quantize(Decimal("0.1")) for b in bands]


def band_for(role: str, days: Decimal) -> int:
    bands = BANDS[role]
    days = Decimal(days)
    for index, band in enumerate(bands):
        if band.low <= days < band.high:
            return index
    return len(bands) - 1


def position(role: str, days: Decimal) -> Position:
    """Where ``days`` a week of ``role`` time sits in the survey."""
    bands = BANDS[role]
    shares = _normalised(bands)
    index = band_for(role, days)
    less = sum(shares[:index], Decimal("0"))
    more = sum(shares[index + 1 :], Decimal("0"))
    return Position(
        role=role,
        days=Decimal(days),
        band=bands[index],
        less_percent=less,
        same_percent=shares[index],
        more_percent=more,
    )


def distribution(role: str) -> list[tuple[Band, Decimal]]:
    """Each band with its share of respondents who gave a band."""
    bands = BANDS[role]
    return list(zip(bands, _normalised(bands), strict=True))
