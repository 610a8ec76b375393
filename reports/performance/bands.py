"""The measures of the performance framework and the one rule that rates them.

Each measure has a rated figure, a percentage held exactly (a Fraction) and rounded only for
display. Its band (a `RatingBand` record HQ edits) holds two limits in the same unit:

- where lower is better (crime, ASB, the MOPAC target, abstraction, cover): at most the green
  limit is green, at most the amber limit amber, above it red;
- where higher is better (satisfaction, confidence, promises): at least the green limit is green,
  at least the amber limit amber, below it red.

A measure without its figure (no data for the month) or without a band is grey, never green."""

from decimal import Decimal
from fractions import Fraction

from django.db import models


class Measure(models.TextChoices):
    CRIME = "crime", "Crime"
    ASB = "asb", "Anti-social behaviour"
    MOPAC = "mopac_crime", "Neighbourhood crime against the MOPAC target"
    SATISFACTION = "satisfaction", "Victim satisfaction"
    CONFIDENCE = "confidence", "Public confidence"
    PROMISES = "promises", "Promise delivery"
    ABSTRACTION = "abstraction", "Abstraction rate"
    COVER = "cover", "Cover below minimum"


HIGHER_IS_BETTER = frozenset({Measure.SATISFACTION, Measure.CONFIDENCE, Measure.PROMISES})

# What the rated percentage is, for the rule shown beside each rating.
RATED = {
    Measure.CRIME: "the change on the same month last year",
    Measure.ASB: "the change on the same month last year",
    Measure.MOPAC: "how far the month is above the MOPAC target",
    Measure.SATISFACTION: "the share of victims asked who scored their visit 4 or 5 of 5",
    Measure.CONFIDENCE: "the share of survey respondents confident in the police locally",
    Measure.PROMISES: "the share of promises due that were met",
    Measure.ABSTRACTION: "the abstraction rate (minutes abstracted inside duties / duty minutes)",
    Measure.COVER: "the share of ward-days with cover below minimum",
}

# How each measure is counted, in words (the README and the bands page say the same; the
# computation is reports.performance.figures).
COUNTED = {
    Measure.CRIME: "police.uk's recorded crimes (every category but anti-social behaviour) in the "
    "area's wards in the month, against the same month last year. Grey until police.uk "
    "publishes the month, or when last year's is missing.",
    Measure.ASB: "police.uk's anti-social behaviour incidents in the area's wards in the month, "
    "against the same month last year.",
    Measure.MOPAC: "The active MOPAC target's crime categories in the month, against the same "
    "calendar month of its baseline year; the target is that month less the reduction.",
    Measure.SATISFACTION: "Of the victims whose visit score was recorded in the month (London "
    "time), the share who scored it 4 or 5 out of 5, with the number asked.",
    Measure.CONFIDENCE: "The public attitude survey's share confident for the month's quarter: "
    "a ward's own result, else its borough's; a BCU's or London's, the boroughs' results "
    "weighted by respondents (grey unless every borough has one).",
    Measure.PROMISES: "Of the promises due in the month (met or missed, as the stored monthly "
    "report counts them at the month's end), the share met.",
    Measure.ABSTRACTION: "Minutes abstracted inside duties over duty minutes, from the stored "
    "monthly report (its latest ready version), against the abstraction target.",
    Measure.COVER: "Ward-days with cover below minimum (the monthly report's figure) of the "
    "ward-days counted, from the stored monthly report.",
}

# The bands a new database starts with (migration reports/0002); HQ changes them.
DEFAULT_BANDS = {
    Measure.CRIME: ("0", "5"),
    Measure.ASB: ("0", "5"),
    Measure.MOPAC: ("0", "10"),
    Measure.SATISFACTION: ("85", "75"),
    Measure.CONFIDENCE: ("80", "70"),
    Measure.PROMISES: ("90", "75"),
    Measure.ABSTRACTION: ("5", "10"),
    Measure.COVER: ("2", "5"),
}

RED, AMBER, GREEN, GREY = "red", "amber", "green", "grey"
RATINGS = (RED, AMBER, GREEN, GREY)


def rate(measure: str, value: Fraction | None, band) -> str:
    """red, amber, green or grey: `value` (the exact rated percentage) against `band`."""
    if value is None or band is None:
        return GREY
    green, amber = Fraction(band.green_limit), Fraction(band.amber_limit)
    if measure in HIGHER_IS_BETTER:
        return GREEN if value >= green else AMBER if value >= amber else RED
    return GREEN if value <= green else AMBER if value <= amber else RED


def _shown(limit: Decimal) -> str:
    return f"{Decimal(limit).normalize():f}%"


def rule_text(measure: str, band) -> str:
    """The rule in words, as every surface shows it beside the rating."""
    what = RATED[measure]
    if band is None:
        return f"Rated on {what}; no band is set, so it is grey."
    if measure in HIGHER_IS_BETTER:
        return (f"Rated on {what}: green at {_shown(band.green_limit)} or more, amber at "
                f"{_shown(band.amber_limit)} or more, red below; grey without data.")
    return (f"Rated on {what}: green at {_shown(band.green_limit)} or less, amber at "
            f"{_shown(band.amber_limit)} or less, red above; grey without data.")
