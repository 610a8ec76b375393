"""API shapes for London's geography: BCUs, boroughs, wards, clusters and places.

Every related field a client may write is limited to the rows the requesting user may see, so a
ward of another borough is "does not exist" (400), never a write into someone else's borough."""

from rest_framework import serializers

from config.fields import ScopedSlugRelatedField
from wards.models import BCU, Borough, Place, Ward, WardCluster


class CentroidSerializer(serializers.Serializer):
    """A centroid as numbers (WGS84), read from the model's `centroid_lat`/`centroid_lng` (a
    borough's may not be known: null)."""

    lat = serializers.FloatField(source="centroid_lat", read_only=True, allow_null=True)
    lng = serializers.FloatField(source="centroid_lng", read_only=True, allow_null=True)


class BCUSerializer(serializers.ModelSerializer):
    boroughs = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text="The user's boroughs in this BCU."
    )

    class Meta:
        model = BCU
        fields = ["code", "name", "boroughs"]


class BoroughSerializer(serializers.ModelSerializer):
    bcu = serializers.SlugRelatedField(slug_field="code", read_only=True)
    bcu_name = serializers.CharField(source="bcu.name", read_only=True)
    centroid = CentroidSerializer(source="*", read_only=True)

    class Meta:
        model = Borough
        fields = ["code", "name", "bcu", "bcu_name", "centroid", "area_km2"]


class WardClusterSerializer(serializers.ModelSerializer):
    borough = ScopedSlugRelatedField(slug_field="code", queryset=Borough.objects.all())
    wards = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = WardCluster
        fields = ["id", "name", "borough", "notes", "wards"]

    def validate_borough(self, borough):
        if self.instance is not None and borough != self.instance.borough:
            raise serializers.ValidationError("A cluster cannot move to another borough.")
        return borough


class PlaceSerializer(serializers.ModelSerializer):
    ward = ScopedSlugRelatedField(slug_field="code", queryset=Ward.objects.all())
    borough = serializers.CharField(source="ward.borough.code", read_only=True)

    class Meta:
        model = Place
        fields = [
            "id",
            "name",
            "kind",
            "ward",
            "borough",
            "address",
            "postcode",
            "lat",
            "lng",
            "source_ref",
        ]
        # Unique across London: wards.services.place_save refuses one in use without saying
        # where (not DRF's validator, which would say "place with this source ref exists").
        extra_kwargs = {"source_ref": {"validators": []}}
