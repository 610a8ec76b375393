"""API shapes for London's geography: BCUs, boroughs, wards, clusters and places.

Every related field a client may write is limited to the rows the requesting user may see, so a
ward of another borough is "does not exist" (400), never a write into someone else's borough."""

from decimal import Decimal

from rest_framework import serializers

from wards.models import BCU, Borough, Place, Ward, WardCluster


class ScopedQuerysetMixin:
    """A related field whose choices are `queryset.for_user(request.user)`."""

    def get_queryset(self):
        return super().get_queryset().for_user(self.context["request"].user)


class SlugField(serializers.SlugRelatedField):
    """A related object by its code. A NUL in the code (PostgreSQL refuses it in text) is an
    object that does not exist, not a server error."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)


class ScopedSlugRelatedField(ScopedQuerysetMixin, SlugField):
    pass


class ScopedPrimaryKeyRelatedField(ScopedQuerysetMixin, serializers.PrimaryKeyRelatedField):
    pass


class CentroidSerializer(serializers.Serializer):
    """A centroid as numbers (WGS84), read from the model's `centroid_lat`/`centroid_lng`."""

    lat = serializers.FloatField(source="centroid_lat", read_only=True)
    lng = serializers.FloatField(source="centroid_lng", read_only=True)


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


class WardSerializer(serializers.ModelSerializer):
    """A ward with its current dedicated strength (annotated by `Ward.objects.with_strength()`)."""

    police_uk_id = serializers.CharField(
        read_only=True, help_text="data.police.uk's neighbourhood id: the ONS code plus N."
    )
    borough = serializers.SlugRelatedField(slug_field="code", read_only=True)
    borough_name = serializers.CharField(source="borough.name", read_only=True)
    cluster = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    cluster_name = serializers.CharField(source="cluster.name", read_only=True, allow_null=True)
    centroid = CentroidSerializer(source="*", read_only=True)
    dedicated_pcs = serializers.IntegerField(read_only=True)
    dedicated_pcsos = serializers.IntegerField(read_only=True)
    below_minimum = serializers.BooleanField(
        read_only=True, help_text="Fewer dedicated PCs or PCSOs than the minimum cover."
    )

    class Meta:
        model = Ward
        fields = [
            "code",
            "name",
            "police_uk_id",
            "borough",
            "borough_name",
            "cluster",
            "cluster_name",
            "centroid",
            "area_km2",
            "dedicated_pcs",
            "dedicated_pcsos",
            "below_minimum",
        ]


class WardDetailSerializer(WardSerializer):
    boundary = serializers.JSONField(
        read_only=True, help_text="GeoJSON MultiPolygon (WGS84), about 100 m accuracy."
    )

    class Meta(WardSerializer.Meta):
        fields = [*WardSerializer.Meta.fields, "boundary"]


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


# The box every place's coordinates must fall in (the database holds the same rule).
LONDON_LAT = (Decimal("51.2"), Decimal("51.8"))
LONDON_LNG = (Decimal("-0.6"), Decimal("0.4"))


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

    def validate(self, attrs):
        lat = attrs.get("lat", getattr(self.instance, "lat", None))
        lng = attrs.get("lng", getattr(self.instance, "lng", None))
        if (lat is None) != (lng is None):
            missing = "lng" if lng is None else "lat"
            raise serializers.ValidationError(
                {missing: "Give both latitude and longitude, or neither."}
            )
        if lat is not None and not LONDON_LAT[0] <= lat <= LONDON_LAT[1]:
            raise serializers.ValidationError({"lat": "That latitude is outside London."})
        if lng is not None and not LONDON_LNG[0] <= lng <= LONDON_LNG[1]:
            raise serializers.ValidationError({"lng": "That longitude is outside London."})
        return attrs

