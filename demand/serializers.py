"""API shapes for demand: a ward's demand over months, imports and their progress."""

from rest_framework import serializers

from demand.models import DataImport


class WardDemandSerializer(serializers.Serializer):
    ward = serializers.CharField(source="ward.code", help_text="The ward's ONS code.")
    name = serializers.CharField(source="ward.name")
    borough = serializers.CharField(source="ward.borough.code")
    crimes = serializers.IntegerField(
        help_text="police.uk crimes (every category but ASB, or the categories or theme chosen)."
    )
    asb = serializers.IntegerField(help_text="police.uk anti-social behaviour.")
    cad_calls = serializers.IntegerField(help_text="Calls for service (CAD) received.")
    cad_asb_calls = serializers.IntegerField(source="cad_asb")
    residents = serializers.IntegerField(
        allow_null=True, help_text="Census 2021 usual residents, best fit from LSOA 2021."
    )
    crimes_per_1000 = serializers.FloatField(source="crimes_rate", allow_null=True)
    asb_per_1000 = serializers.FloatField(source="asb_rate", allow_null=True)
    rank_in_borough = serializers.IntegerField(
        source="rank", help_text="1 = the most crimes in its borough over these months."
    )
    crimes_year_before = serializers.IntegerField(source="crimes_before", allow_null=True)
    change = serializers.FloatField(
        allow_null=True,
        help_text="Against the same months a year before (0.1 = up 10%); null when the year "
        "before lacks data.",
    )

    def to_representation(self, row):
        """What DRF's fields give (tests/demand/test_ward_list_representation.py holds it), built
        directly: London's 679 rows through the fields one by one were half the list's time. As
        DRF does, a missing value (None) is null in every field."""
        ward = row.ward
        return {
            "ward": _str(ward.code), "name": _str(ward.name), "borough": _str(ward.borough.code),
            "crimes": _int(row.crimes), "asb": _int(row.asb), "cad_calls": _int(row.cad_calls),
            "cad_asb_calls": _int(row.cad_asb), "residents": _int(row.residents),
            "crimes_per_1000": _float(row.crimes_rate), "asb_per_1000": _float(row.asb_rate),
            "rank_in_borough": _int(row.rank), "crimes_year_before": _int(row.crimes_before),
            "change": _float(row.change),
        }  # fmt: skip


def _str(value):
    return None if value is None else str(value)


def _int(value):
    return None if value is None else int(value)


def _float(value):
    return None if value is None else float(value)


class DataImportSerializer(serializers.ModelSerializer):
    status_url = serializers.SerializerMethodField()
    imported_by = serializers.CharField(
        source="imported_by.username", default=None, allow_null=True
    )
    months = serializers.SerializerMethodField()

    class Meta:
        model = DataImport
        fields = [
            "id",
            "kind",
            "status",
            "stage",
            "file_name",
            "sha256",
            "size_bytes",
            "source",
            "imported_by",
            "created_at",
            "finished_at",
            "seconds",
            "vintage",
            "months",
            "categories",
            "rows_read",
            "imported",
            "other_force",
            "outside_met",
            "unlocated",
            "rejected",
            "rejections",
            "notes",
            "error",
            "status_url",
        ]
        read_only_fields = fields

    def get_status_url(self, obj) -> str:
        request = self.context.get("request")
        url = f"/api/v1/demand/imports/{obj.pk}/"
        return request.build_absolute_uri(url) if request else url

    def get_months(self, obj) -> list[str]:
        return [f"{m:%Y-%m}" for m in obj.months]


class DemandImportUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=DataImport.Kind.choices,
        required=False,
        allow_null=True,
        help_text="Left out: what the file's header says.",
    )
    file = serializers.FileField(help_text="The CSV, as published or gzipped.")
    all_or_nothing = serializers.BooleanField(
        default=False, help_text="Import nothing if any row is malformed."
    )
