"""Reference data for demand: data.police.uk's categories, MOPAC's themes and target (seeded by
migrations, edited by HQ afterwards), and the files in demand/data/ (LSOA→ward lookups of both
vintages, IMD by LSOA, Census 2021 ward populations: see demand/data/PROVENANCE.md), loaded by
`load_demand_reference`."""

from __future__ import annotations

import csv
import datetime
import gzip
import io
from pathlib import Path

from django.db import connection, transaction

DATA_DIR = Path(__file__).resolve().parent / "data"
MET_FORCE = "Metropolitan Police Service"
CITY_OF_LONDON = "E09000001"  # policed by the City of London Police, not the Met

# (slug, "Crime type" as the CSV spells it), in data.police.uk's order.
CATEGORIES = [
    ("anti-social-behaviour", "Anti-social behaviour"),
    ("bicycle-theft", "Bicycle theft"),
    ("burglary", "Burglary"),
    ("criminal-damage-arson", "Criminal damage and arson"),
    ("drugs", "Drugs"),
    ("other-theft", "Other theft"),
    ("possession-of-weapons", "Possession of weapons"),
    ("public-order", "Public order"),
    ("robbery", "Robbery"),
    ("shoplifting", "Shoplifting"),
    ("theft-from-the-person", "Theft from the person"),
    ("vehicle-crime", "Vehicle crime"),
    ("violent-crime", "Violence and sexual offences"),
    ("other-crime", "Other crime"),
]
ASB = "anti-social-behaviour"

# slug: (name, categories anywhere, location kinds, categories at them (empty: every crime), proxy)
THEMES = {
    "burglary": (
        "Burglary", ["burglary"], [], [],
        "police.uk's Burglary category (residential and business together).",
    ),
    "street-violence": (
        "Street violence", ["violent-crime", "robbery", "public-order"], [], [],
        "Violence and sexual offences, robbery and public order. police.uk does not say whether "
        "an offence happened in the street, so this counts them wherever they happened.",
    ),
    "transport": (
        "Transport", [], ["transport"], [],
        'Every crime whose police.uk location is a station or stop ("On or near … Station", '
        '"Bus/Coach Station"), or within about 150 m of a transport hub recorded as a Place.',
    ),
    "night-time-economy": (
        "Alcohol and the night-time economy", [], ["licensed"], ["violent-crime", "public-order"],
        'Violence and public order at licensed premises ("On or near Nightclub", "… Pub", '
        '"Bar"). police.uk rows carry no time: the evening pattern comes from CAD calls alone.',
    ),
    "business-crime": (
        "Business crime", ["shoplifting"], ["shop"], [],
        "Shoplifting wherever it happened, and every crime at a shop, supermarket or shopping "
        "area.",
    ),
}  # fmt: skip
NO_PROSTITUTION_CATEGORY = (
    "Prostitution has no data.police.uk category (it is folded into Other crime and Public "
    "order), so no map can show it."
)

# MOPAC's aim of a 20% reduction in key neighbourhood crimes: the national "neighbourhood crime"
# set that police.uk can show, against 2019. HQ edits it (admin and the targets page).
DEFAULT_TARGET = {
    "name": "Neighbourhood crime down 20%",
    "categories": ["burglary", "robbery", "theft-from-the-person", "vehicle-crime"],
    "baseline_from": datetime.date(2019, 1, 1),
    "reduction_percent": 20,
    "target_month": datetime.date(2025, 3, 1),
    "notes": "Burglary, robbery, theft from the person and vehicle crime, the 12 months to the "
    "target month against calendar year 2019.",
}


def seed_categories(Category) -> None:
    for order, (slug, name) in enumerate(CATEGORIES):
        Category.objects.update_or_create(
            slug=slug, defaults={"name": name, "is_asb": slug == ASB, "ordering": order}
        )


def seed_themes(Theme, Category) -> None:
    by_slug = {c.slug: c for c in Category.objects.all()}
    for order, (slug, (name, anywhere, kinds, at_kinds, proxy)) in enumerate(THEMES.items()):
        theme, created = Theme.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "at_locations": kinds, "proxy": proxy, "ordering": order},
        )
        if created:
            theme.categories.set([by_slug[s] for s in anywhere])
            theme.at_location_categories.set([by_slug[s] for s in at_kinds])


def seed_target(ReductionTarget, Category) -> None:
    values = dict(DEFAULT_TARGET)
    slugs = values.pop("categories")
    target, created = ReductionTarget.objects.get_or_create(
        name=values.pop("name"), defaults=values
    )
    if created:
        target.categories.set(Category.objects.filter(slug__in=slugs))


# --- the files ---------------------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


LOOKUPS = {
    2011: "lookup_lsoa11_to_ward2022_london.csv",
    2021: "lookup_lsoa21_to_ward2022_london.csv",
}
IMD = {2019: (2011, "london_imd2019_lsoa11.csv.gz"), 2025: (2021, "london_imd2025_lsoa21.csv.gz")}
POPULATION = "london_ward_population_census2021_bestfit.csv"
IMD_COLUMNS = {"IMD_decile", "IMD_rank", "IMD_score"}


def load_reference(data_dir: Path = DATA_DIR, *, imd: bool = True) -> dict[str, int]:
    """Load (or refresh) the LSOA lookups, IMD (unless `imd` is False) and ward populations. One
    transaction; rows are replaced by natural key, so running it again changes nothing. Ward
    populations are written for the wards that exist (load_london first)."""
    from demand.models import Deprivation, Lsoa, WardPopulation
    from wards.models import Ward

    counts = {}
    with transaction.atomic():
        for vintage, name in LOOKUPS.items():
            rows = read_csv(data_dir / name)
            key = f"lsoa{str(vintage)[2:]}_"
            Lsoa.objects.bulk_create(
                [
                    Lsoa(
                        vintage=vintage,
                        code=r[key + "code"],
                        name=r[key + "name"],
                        ward_code=r["ward_code"],
                        borough_code=r["borough_code"],
                    )
                    for r in rows
                ],
                update_conflicts=True,
                unique_fields=["vintage", "code"],
                update_fields=["name", "ward_code", "borough_code"],
            )
            counts[f"LSOA {vintage}"] = len(rows)
        for edition, (vintage, name) in IMD.items() if imd else ():
            counts[f"IMD {edition}"] = _load_imd(
                Deprivation, Lsoa, edition, vintage, data_dir / name
            )
        wards = dict(Ward.objects.values_list("code", "id"))
        populations = [
            WardPopulation(
                ward_id=wards[r["ward_code"]], residents=int(r["census2021_usual_residents"])
            )
            for r in read_csv(data_dir / POPULATION)
            if r["ward_code"] in wards and r["census2021_usual_residents"]
        ]
        WardPopulation.objects.bulk_create(
            populations,
            update_conflicts=True,
            unique_fields=["ward"],
            update_fields=["residents", "source"],
        )
        counts["ward populations"] = len(populations)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Lsoa._meta.db_table}")
    return counts


def _load_imd(Deprivation, Lsoa, edition, vintage, path) -> int:
    lsoas = dict(Lsoa.objects.filter(vintage=vintage).values_list("code", "id"))
    code_column = f"lsoa{str(vintage)[2:]}_code"
    rows = []
    for r in read_csv(path):
        domains = {
            k: (float(v) if k.endswith("_score") else int(v))
            for k, v in r.items()
            if k.endswith(("_decile", "_rank", "_score")) and k not in IMD_COLUMNS and v != ""
        }
        rows.append(
            Deprivation(
                lsoa_id=lsoas[r[code_column]],
                edition=edition,
                imd_rank=int(r["IMD_rank"]),
                imd_decile=int(r["IMD_decile"]),
                imd_score=r.get("IMD_score") or None,
                domains=domains,
            )
        )
    Deprivation.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["lsoa", "edition"],
        update_fields=["imd_rank", "imd_decile", "imd_score", "domains"],
    )
    return len(rows)


def reference_loaded() -> bool:
    from demand.models import Lsoa

    return Lsoa.objects.filter(vintage=2011).exists() and Lsoa.objects.filter(vintage=2021).exists()
