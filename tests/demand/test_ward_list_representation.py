"""The demand ward list's rows are built directly (demand/serializers.py): each is exactly what
DRF's own fields make of it, for every field, with and without the values that may be missing."""

import random

from rest_framework import serializers

from demand.selectors import BoroughInfo, WardDemand, WardInfo
from demand.serializers import WardDemandSerializer


def drf_row(row) -> dict:
    return serializers.Serializer.to_representation(WardDemandSerializer(), row)


def generated_rows(n: int, seed: int = 15):
    draw = random.Random(seed)
    for i in range(n):
        residents = draw.choice([None, 0, 1, draw.randint(2, 40_000)])
        ward = WardInfo(i, f"E05{i:06d}", draw.choice(["Soho", "St. Mary's", "Ñ ward"]), 7,
                        BoroughInfo(f"E09{i % 33:06d}", "Camden"), residents)
        yield WardDemand(
            ward, crimes=draw.randint(0, 5_000), asb=draw.randint(0, 900),
            cad_calls=draw.randint(0, 9_000), cad_asb=draw.randint(0, 800),
            crimes_before=draw.choice([None, 0, draw.randint(1, 5_000)]),
            rank=draw.choice([None, draw.randint(1, 30)]),
        )


def test_each_row_is_what_drfs_fields_make_of_it():
    rows = list(generated_rows(2_000))
    assert [WardDemandSerializer(r).data for r in rows] == [drf_row(r) for r in rows]
    assert any(WardDemandSerializer(r).data["change"] is None for r in rows)
    assert any(WardDemandSerializer(r).data["crimes_per_1000"] is None for r in rows)


def test_a_missing_value_is_null_in_every_field_as_drf_makes_it():
    row = next(generated_rows(1))
    row.ward = WardInfo(1, None, None, 7, BoroughInfo(None, "Camden"), None)
    row.crimes = row.asb = row.cad_calls = row.cad_asb = row.rank = row.crimes_before = None
    assert WardDemandSerializer(row).data == drf_row(row)
    assert set(WardDemandSerializer(row).data.values()) == {None}


def test_the_field_names_are_the_schemas():
    row = next(generated_rows(1))
    assert list(WardDemandSerializer(row).data) == list(WardDemandSerializer().fields)
