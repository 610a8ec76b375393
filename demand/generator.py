"""Demo and bench data in the real formats: data.police.uk street-level files for the categories
no public copy exists of here, and a year of CAD calls. Every parameter is in this module's first
section, and the README's "Demand data" section repeats them.

Crime (one Met month, in data.police.uk's exact CSV format):
- rows per category: MONTHLY_MIX, about 90,000 in all, close to the Met's published months of
  2023-24. Burglary comes from the real file of that month when there is one (demand/data/);
  a month without one gets BURGLARY_IF_NO_FILE generated burglary rows;
- where: each category is spread over London's LSOAs in proportion to a weight: deprivation
  (IMD decile 1 weighs DEPRIVATION_WEIGHT times decile 10), central boroughs (CENTRAL_BOROUGHS,
  more for theft), and HOT_LSOA_SHARE of LSOAs HOT_LSOA_FACTOR times hotter;
- the points are police.uk's own anonymous map points from the real burglary files of the same
  LSOA vintage (so a shoplifting row lands "On or near Supermarket" where the LSOA has one);
- OUTSIDE_LONDON_SHARE of rows sit in LSOAs just outside London (as real files do), and
  UNLOCATED_SHARE have no location;
- the LSOA vintage follows the month: LSOA 2011 before LSOA_2021_FROM, LSOA 2021 from it.

CAD (our own import format: demand/cad.py):
- CAD_CALLS_PER_YEAR for the 32 boroughs (an assumption: the Met answers about 5.5 million
  999 and 101 calls a year; about one in five becomes an incident placed in a ward); ASB_SHARE of
  calls are anti-social behaviour on a weekday outside summer evenings;
- rhythm: HOUR_WEIGHTS over the day (quiet before dawn, busiest from mid-afternoon to late
  evening), WEEKDAY_WEIGHTS over the week (Friday and Saturday busiest) and MONTH_WEIGHTS over the
  year (summer busiest);
- ASB is ASB_SUMMER_EVENING_FACTOR times likelier on summer (June-August) evenings 18:00-24:00
  and ASB_WEEKEND_FACTOR times at weekends;
- wards weigh their Census 2021 population, times HOT_WARD_FACTOR for HOT_WARD_SHARE of wards
  (town centres, the West End: the busiest by crime);
- grades: GRADE_MIX (I immediate, S significant, E extended, R referred), ASB_GRADE_MIX for ASB.

Deterministic: every choice comes from random.Random seeded with SEED and the month or year.
"""

from __future__ import annotations

import csv
import datetime
import functools
import gzip
import hashlib
import io
import random
from collections import defaultdict
from pathlib import Path

from config.timeutils import LONDON, add_months, months_between
from demand.locations import LocationKind, classify
from demand.reference import DATA_DIR, MET_FORCE, read_csv

# --- parameters ---------------------------------------------------------------------------------

SEED = "neighbourhood-ops-demand"
MONTHLY_MIX = {
    "anti-social-behaviour": 14_000,
    "violent-crime": 20_500,
    "other-theft": 11_000,
    "vehicle-crime": 8_500,
    "theft-from-the-person": 7_500,
    "shoplifting": 5_200,
    "public-order": 4_300,
    "criminal-damage-arson": 4_200,
    "drugs": 3_600,
    "robbery": 2_800,
    "bicycle-theft": 1_600,
    "other-crime": 1_300,
    "possession-of-weapons": 650,
}
BURGLARY_IF_NO_FILE = 4_400
DEPRIVATION_WEIGHT = 2.5
CENTRAL_BOROUGHS = {  # borough code: factor (theft categories get the square of it)
    "E09000033": 3.0,  # Westminster
    "E09000007": 1.8,  # Camden
    "E09000020": 1.5,  # Kensington and Chelsea
    "E09000019": 1.4,  # Islington
    "E09000028": 1.4,  # Southwark
    "E09000022": 1.4,  # Lambeth
    "E09000030": 1.3,  # Tower Hamlets
    "E09000012": 1.3,  # Hackney
}
THEFT = {"other-theft", "theft-from-the-person", "bicycle-theft", "shoplifting", "robbery"}
HOT_LSOA_SHARE, HOT_LSOA_FACTOR = 0.05, 3.0
OUTSIDE_LONDON_SHARE = 0.0006
UNLOCATED_SHARE = 0.002
LSOA_2021_FROM = datetime.date(2023, 1, 1)
# Where a category prefers a point of interest when its LSOA has one: (kind, probability).
PREFERRED_LOCATION = {
    "shoplifting": (LocationKind.SHOP, 0.8),
    "violent-crime": (LocationKind.LICENSED, 0.05),
    "public-order": (LocationKind.LICENSED, 0.08),
    "theft-from-the-person": (LocationKind.TRANSPORT, 0.1),
    "robbery": (LocationKind.TRANSPORT, 0.05),
}
OUTCOMES = [
    "Investigation complete; no suspect identified",
    "Unable to prosecute suspect",
    "Under investigation",
    "Status update unavailable",
    "Awaiting court outcome",
    "Local resolution",
    "Further investigation is not in the public interest",
]

CAD_CALLS_PER_YEAR = 1_000_000
ASB_SHARE = 0.17
HOUR_WEIGHTS = [
    3.0, 2.4, 1.9, 1.5, 1.2, 1.1, 1.4, 2.2, 3.2, 3.8, 4.1, 4.3,
    4.5, 4.6, 4.8, 5.1, 5.3, 5.4, 5.5, 5.4, 5.2, 4.9, 4.4, 3.7,
]  # fmt: skip
WEEKDAY_WEIGHTS = [0.96, 0.95, 0.96, 0.98, 1.08, 1.12, 1.0]  # Monday first
MONTH_WEIGHTS = [0.92, 0.88, 0.95, 0.97, 1.03, 1.08, 1.12, 1.1, 1.02, 1.0, 0.97, 0.96]
ASB_SUMMER_EVENING_FACTOR = 1.8
ASB_WEEKEND_FACTOR = 1.4
HOT_WARD_SHARE, HOT_WARD_FACTOR = 0.05, 3.0
GRADE_MIX = {"I": 0.22, "S": 0.33, "E": 0.33, "R": 0.12}
ASB_GRADE_MIX = {"I": 0.05, "S": 0.35, "E": 0.45, "R": 0.15}

CRIME_HEADER = [
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
]  # fmt: skip

# --- crime --------------------------------------------------------------------------------------


def real_burglary_file(month: datetime.date, data_dir: Path = DATA_DIR) -> Path | None:
    path = data_dir / f"policeuk_{month:%Y-%m}-metropolitan-street_burglary.csv.gz"
    return path if path.exists() else None


class _Points:
    """police.uk's anonymous map points by LSOA, from the real burglary files of one vintage."""

    def __init__(self, vintage: int, data_dir: Path):
        self.by_lsoa: dict[str, list[tuple]] = defaultdict(list)
        self.by_kind: dict[tuple[str, str], list[tuple]] = defaultdict(list)
        self.names: dict[str, str] = {}
        files = sorted(data_dir.glob("policeuk_*-metropolitan-street_burglary.csv*"))
        for path in files:
            month = datetime.date(int(path.name[9:13]), int(path.name[14:16]), 1)
            if (month >= LSOA_2021_FROM) != (vintage == 2021):
                continue
            for row in read_csv(path):
                if row["Longitude"] and row["LSOA code"]:
                    point = (row["Longitude"], row["Latitude"], row["Location"])
                    self.by_lsoa[row["LSOA code"]].append(point)
                    self.by_kind[row["LSOA code"], classify(row["Location"])].append(point)
                    self.names[row["LSOA code"]] = row["LSOA name"]


@functools.lru_cache(maxsize=4)
def _points(vintage: int, data_dir: Path) -> _Points:
    return _Points(vintage, data_dir)


def _lsoa_weights(vintage: int, rng: random.Random, data_dir: Path):
    """[(code, name, borough, weight)] for the London LSOAs of the vintage (not the City)."""
    imd = "london_imd2019_lsoa11.csv.gz" if vintage == 2011 else "london_imd2025_lsoa21.csv.gz"
    key = "lsoa11" if vintage == 2011 else "lsoa21"
    rows = []
    for row in read_csv(data_dir / imd):
        if row["borough_code"] == "E09000001":
            continue
        decile = int(row["IMD_decile"])
        weight = 1 + (DEPRIVATION_WEIGHT - 1) * (10 - decile) / 9
        if rng.random() < HOT_LSOA_SHARE:
            weight *= HOT_LSOA_FACTOR
        rows.append((row[f"{key}_code"], row[f"{key}_name"], row["borough_code"], weight))
    return rows


def crime_month_rows(month: datetime.date, *, data_dir: Path = DATA_DIR, scale: float = 1.0):
    """The rows (lists of the 12 columns) of one generated Met month, burglary included."""
    vintage = 2021 if month >= LSOA_2021_FROM else 2011
    rng = random.Random(f"{SEED}:{month:%Y-%m}")
    points = _points(vintage, data_dir)
    lsoas = _lsoa_weights(vintage, random.Random(f"{SEED}:lsoas:{vintage}"), data_dir)
    london = {code for code, *_ in lsoas}
    outside = [c for c in points.by_lsoa if c not in london]
    rows = []
    mix = dict(MONTHLY_MIX)
    burglary = real_burglary_file(month, data_dir)
    if burglary is None:
        mix["burglary"] = BURGLARY_IF_NO_FILE
    for slug, count in mix.items():
        rows.extend(_category_rows(slug, round(count * scale), month, lsoas, points, outside, rng))
    if burglary is not None:
        rows.extend([r[h] for h in CRIME_HEADER] for r in read_csv(burglary))
    rng.shuffle(rows)
    return rows


def _category_rows(slug, count, month, lsoas, points, outside, rng):
    from demand.reference import CATEGORIES

    name = dict(CATEGORIES)[slug]
    factor = {b: (f * f if slug in THEFT else f) for b, f in CENTRAL_BOROUGHS.items()}
    weights = [w * factor.get(borough, 1.0) for _c, _n, borough, w in lsoas]
    chosen = rng.choices(lsoas, weights=weights, k=count)
    preferred = PREFERRED_LOCATION.get(slug)
    rows = []
    for n, (code, lsoa_name, _borough, _w) in enumerate(chosen):
        roll = rng.random()
        if roll < OUTSIDE_LONDON_SHARE and outside:
            code = rng.choice(outside)
            lsoa_name = points.names.get(code, "")
        crime_id = "" if slug == "anti-social-behaviour" else _crime_id(month, slug, n)
        outcome = "" if not crime_id else rng.choice(OUTCOMES)
        if OUTSIDE_LONDON_SHARE <= roll < OUTSIDE_LONDON_SHARE + UNLOCATED_SHARE:
            rows.append(
                [
                    crime_id,
                    f"{month:%Y-%m}",
                    MET_FORCE,
                    MET_FORCE,
                    "",
                    "",
                    "No location",
                    "",
                    "",
                    name,
                    outcome,
                    "",
                ]
            )
            continue
        lng, lat, location = _point(points, code, preferred, rng)
        rows.append(
            [
                crime_id,
                f"{month:%Y-%m}",
                MET_FORCE,
                MET_FORCE,
                lng,
                lat,
                location,
                code,
                lsoa_name,
                name,
                outcome,
                "",
            ]
        )
    return rows


def _point(points: _Points, code: str, preferred, rng):
    if preferred and rng.random() < preferred[1] and (code, preferred[0]) in points.by_kind:
        return rng.choice(points.by_kind[code, preferred[0]])
    candidates = points.by_lsoa.get(code)
    return rng.choice(candidates) if candidates else ("", "", "No location")


def _crime_id(month, slug, n) -> str:
    return hashlib.sha256(f"{SEED}:{month:%Y-%m}:{slug}:{n}".encode()).hexdigest()


def crime_month_csv(month: datetime.date, *, gzipped: bool = True, **kwargs) -> bytes:
    """One generated month as the bytes data.police.uk would publish (gzipped by default)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CRIME_HEADER)
    writer.writerows(crime_month_rows(month, **kwargs))
    data = buffer.getvalue().encode()
    return gzip.compress(data, compresslevel=1) if gzipped else data


# --- CAD ----------------------------------------------------------------------------------------

CAD_HEADER = ["reference", "received_at", "ward_code", "latitude", "longitude", "type", "grade"]


def _ward_weights(wards, rng):
    """[(code, weight)]: population, times HOT_WARD_FACTOR for the hot wards."""
    weighted = []
    for code, residents in wards:
        weight = float(residents or 8_000)
        if rng.random() < HOT_WARD_SHARE:
            weight *= HOT_WARD_FACTOR
        weighted.append((code, weight))
    return weighted


def cad_rows(first_day: datetime.date, days: int, wards, *, calls_per_year=CAD_CALLS_PER_YEAR):
    """CAD rows for `days` days from `first_day`, spread over `wards` ([(code, residents)])."""
    rng = random.Random(f"{SEED}:cad:{first_day:%Y-%m-%d}")
    weighted = _ward_weights(sorted(wards), rng)
    codes = [c for c, _w in weighted]
    cumulative = _cumulative([w for _c, w in weighted])
    grades, asb_grades = list(GRADE_MIX), list(ASB_GRADE_MIX)
    mean = sum(MONTH_WEIGHTS) / 12 * sum(WEEKDAY_WEIGHTS) / 7
    per_day = calls_per_year / 365 / mean
    for offset in range(days):
        day = first_day + datetime.timedelta(days=offset)
        expected = per_day * MONTH_WEIGHTS[day.month - 1] * WEEKDAY_WEIGHTS[day.weekday()]
        count = max(0, round(rng.gauss(expected, expected**0.5)))
        hours = rng.choices(range(24), weights=HOUR_WEIGHTS, k=count)
        ward_codes = rng.choices(codes, cum_weights=cumulative, k=count)
        for n, (hour, ward) in enumerate(zip(sorted(hours), ward_codes, strict=True)):
            at = _instant(day, hour, rng.randrange(60), rng.randrange(60))
            asb = rng.random() < _asb_chance(day, hour)
            mix = ASB_GRADE_MIX if asb else GRADE_MIX
            grade = rng.choices(asb_grades if asb else grades, weights=mix.values())[0]
            kind = "asb" if asb else "other"
            yield [f"CAD{day:%Y%m%d}-{n + 1:05d}", at, ward, "", "", kind, grade]


def _cumulative(weights):
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _asb_chance(day: datetime.date, hour: int) -> float:
    factor = 1.0
    if day.month in (6, 7, 8) and hour >= 18:
        factor *= ASB_SUMMER_EVENING_FACTOR
    if day.weekday() >= 5:
        factor *= ASB_WEEKEND_FACTOR
    return min(ASB_SHARE * factor, 0.9)


def _instant(day, hour, minute, second) -> str:
    """ISO 8601 with the offset, so no time is ambiguous across the clock change. The hour that
    does not exist in spring becomes the hour after."""
    local = datetime.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=LONDON)
    utc = local.astimezone(datetime.UTC)
    return utc.astimezone(LONDON).isoformat()


def cad_csv(first_day, days, wards, **kwargs) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CAD_HEADER)
    writer.writerows(cad_rows(first_day, days, wards, **kwargs))
    return buffer.getvalue().encode()


def months_before(last: datetime.date, n: int) -> list[datetime.date]:
    return months_between(add_months(last, -(n - 1)), last)
