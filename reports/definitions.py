"""How each figure of the monthly report is counted: written once, here, in the words the report
page ("How each figure is counted"), the PDF and the README give (tests/reports/test_definitions.py
holds the README to these). Each is computed by one function or query, named in the README's
table of rules."""

from django.conf import settings

from deployment import cover, protocol
from reports.measures import target_percent

CLOCK = (
    "real elapsed time (a night across a clock change is an hour shorter or longer than its "
    "wall-clock times say)"
)

# A flex's window is written in wall-clock times; what it holds on a clock-change day is said
# here once (deployment.commitments computes it).
FLEX_CLOCK = (
    "A window is the real time between its daily start and end as London's clocks show them: "
    "an 18:00 to 06:00 window is 11 hours long on the night the clocks go forward and 13 on "
    "the night they go back. A daily start or end the clocks skip (01:00 to 01:59 on the spring "
    "change) or repeat (01:00 to 01:59 on the autumn change) is read as GMT: a skipped 01:30 is "
    "02:30 BST, a repeated 01:30 its second occurrence. The same windows take hours from cover."
)


def definitions() -> list[dict]:
    """[{key, name, text}] in the order the report shows them, with today's settings."""
    cover_figures = cover.definitions()
    review = protocol.REVIEW_AFTER_DAYS
    return [
        {
            "key": "minutes",
            "name": "Minutes and hours",
            "text": (
                "Every figure is counted in whole minutes of " + CLOCK + ", inside the month: "
                "from London midnight on the 1st to London midnight on the 1st of the next "
                "month. A duty or abstraction across midnight counts its part in each month. "
                "Hours are shown as hours:minutes from the exact minutes; a total is the sum of "
                "its parts in minutes, never of rounded hours. The CSV files carry minutes."
            ),
        },
        {
            "key": "rostered_minutes",
            "name": "Rostered (duty minutes)",
            "text": (
                "The minutes of every duty recorded for an officer whose home ward is the ward. "
                "Duty minutes = minutes in the home ward + minutes flexed + minutes abstracted "
                "inside the duty. A duty on a recorded rest day (a rest day worked) counts like "
                "any other; a rest day itself changes no figure of the report, cover included."
            ),
        },
        {
            "key": "home_ward_minutes",
            "name": "In home ward",
            "text": "Duty minutes worked in the home ward and not inside an abstraction.",
        },
        {
            "key": "abstracted_minutes",
            "name": "Abstracted",
            "text": (
                "The minutes of each abstraction itself, clipped to the month, whether or not a "
                "duty was recorded around it. Minutes inside a recorded duty of the officer "
                "count for the duty's home ward. Minutes outside any recorded duty count for the "
                "officer's home ward on the abstraction's first day (or for no ward, when the "
                "officer had none) and are shown apart and flagged, with the abstractions that "
                "overlap no duty at all: none is dropped. A duty recorded as \"abstracted\" is "
                "no longer abstracted as a whole: only the minutes its abstraction covers are "
                "abstracted, the rest are minutes in the home ward."
            ),
        },
        {
            "key": "abstraction_rate",
            "name": "Abstraction rate",
            "text": (
                "Minutes abstracted inside recorded duties divided by duty minutes, shown as a "
                "percentage rounded once, half up, to 0.01 from the exact minutes. It is above "
                f"the target ({target_percent()}%) when the exact rate is."
            ),
        },
        {
            "key": "flexed_out_minutes",
            "name": "Flexed (out and in)",
            "text": (
                "Duty minutes worked in another ward of the borough, less any minutes abstracted "
                "inside the duty: flexed out for the home ward, flexed in for the ward worked. "
                "Within a borough, flexed out equals flexed in."
            ),
        },
        {
            "key": "authorised_flex_minutes",
            "name": "Authorised flex",
            "text": (
                "Flexed minutes inside a daily window of a flex request that was authorised "
                "(approved, active or ended) as the month stood at its end, that names the "
                "officer and goes to the ward worked, whether or not the duty names the request "
                "(the report says how many duties were matched without naming it). A request's "
                "windows run every day from its first day to its last (or the day it was ended "
                "early), from its daily start to its daily end, the next morning when the end "
                "is not after the start. Requests authorised: those whose days overlap the "
                "month. " + FLEX_CLOCK
            ),
        },
        {
            "key": "unauthorised_flex_minutes",
            "name": "Unauthorised flex",
            "text": "Every other flexed minute: flexed = authorised + unauthorised.",
        },
        {
            "key": "posted_strength_below_minimum_days",
            "name": cover_figures["posted_strength"]["name"],
            "text": (
                "Days on which " + cover_figures["posted_strength"]["text"]
                + " Counted per ward; a team's, borough's or London's figure is the sum of its "
                "wards' days (ward-days)."
            ),
        },
        {
            "key": "cover_below_minimum_days",
            "name": cover_figures["cover"]["name"],
            "text": (
                "Days on which " + cover_figures["cover"]["text"]
                + " Flexes count as authorised at the month's end; ward-days as above. A day "
                "is a London day of real time: 23 hours on the Sunday the clocks go forward, 25 "
                "on the Sunday they go back."
            ),
        },
        {
            "key": "overdue_reviews",
            "name": "Reviews overdue",
            "text": (
                f"A flex's {review}-day review falls due {review} days after its first day, "
                "only if the flex is still running then (its last day on or after that day; a "
                "flex ended early on or before it was ended at or before the review). A review "
                "not recorded by the end of its due day is missed: counted once, in the month it "
                "fell due, however late it is done. A flex whose review had fallen due and that "
                "was not reviewed by the month's end is listed as unreviewed."
            ),
        },
        {
            "key": "refused_requests",
            "name": "Refused",
            "text": (
                "Flex requests refused, counted in the month they were decided (not the months "
                "they would have run)."
            ),
        },
        {
            "key": "closed_month",
            "name": "A closed month",
            "text": (
                "A month's figures count the records dated in it, as they stood at the month's "
                "end: a review, a withdrawal, an offer or a visit recorded after the month ended "
                "does not change them. A duty or abstraction dated in the month but recorded "
                "late is counted by the next version, which says what changed and how many "
                "records were added since the one before. A report made before its month ended "
                "is marked \"to date\" and counts up to the minute it was made; the monthly run "
                "adds a whole-month version beside it."
            ),
        },
        {
            "key": "promises",
            "name": "Promises",
            "text": (
                "Each ward promise running in the month is met or missed once, from the "
                "activities dated in the month (a weekly promise is met when every week ending "
                "in the month was); the places to visit are those known at the month's end."
            ),
        },
        {
            "key": "victims",
            "name": "Victims",
            "text": (
                "Victims of crimes reported in the month. An offer counts as made, accepted or "
                "completed by its state at the month's end (the times of its transitions); a "
                "rate is a whole percentage of two of these counts, rounded once, half up; "
                "satisfaction is the mean score, to 0.1, rounded once, half up, of the visits "
                "completed by the month's end whose score was recorded by then (a score "
                "recorded later never changes a closed month); totals are the sums of the "
                "wards'."
            ),
        },
    ]


def by_key() -> dict:
    return {d["key"]: d for d in definitions()}


def settings_note() -> str:
    """The settings the definitions depend on, for the PDF's footnote."""
    return (
        f"Target {target_percent()}%; minimum cover {settings.WARD_MIN_DEDICATED_PCS} PCs and "
        f"{settings.WARD_MIN_DEDICATED_PCSOS} PCSO; away from cover after "
        f"{settings.COVER_AWAY_HOURS:g} hours of a day."
    )
