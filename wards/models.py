"""London's policing geography: 12 Basic Command Units, 32 Met boroughs, 679 wards, the clusters
wards are grouped into for shared supervision, and the places in each ward."""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from config.access import BoroughScopedQuerySet, borough_ids, scoped_queryset
from wards.bounds import LONDON_BOX


class BCUQuerySet(models.QuerySet):
    def for_user(self, user):
        """BCUs containing at least one of the user's boroughs; every BCU for London-wide roles."""
        ids = borough_ids(user)
        if ids is None:
            return self
        return self.filter(pk__in=Borough.objects.filter(pk__in=ids).values("bcu_id"))


class BCU(models.Model):
    code = models.CharField(max_length=4, unique=True, help_text="Two-letter BCU code, e.g. CN.")
    name = models.CharField(max_length=60, unique=True)

    objects = BCUQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "BCU"
        verbose_name_plural = "BCUs"

    def __str__(self):
        return f"{self.name} BCU"

    def get_absolute_url(self):
        return reverse("wards:bcu", args=[self.code])


class BoroughQuerySet(BoroughScopedQuerySet):
    borough_path = "pk"

    def for_user(self, user):
        ids = borough_ids(user)
        return self if ids is None else self.filter(pk__in=ids)


class Borough(models.Model):
    code = models.CharField(max_length=9, unique=True, help_text="ONS code, E09…")
    name = models.CharField(max_length=60, unique=True)
    bcu = models.ForeignKey(BCU, on_delete=models.PROTECT, related_name="boroughs")
    centroid_lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    centroid_lng = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    area_km2 = models.DecimalField(max_digits=8, decimal_places=3, null=True, blank=True)

    objects = BoroughQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^E09[0-9]{6}$"), name="borough_code_is_ons_e09"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("wards:borough", args=[self.code])


class WardClusterQuerySet(scoped_queryset("borough")):
    def for_choices(self):
        """What a cluster's label needs: "Camden North (Camden)"."""
        return self.select_related("borough")


class WardCluster(models.Model):
    """Wards of one borough grouped for shared supervision, a base or a demand profile."""

    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="clusters")
    name = models.CharField(max_length=80)
    notes = models.TextField(blank=True, help_text="Why these wards are grouped (demand, base).")

    objects = WardClusterQuerySet.as_manager()

    class Meta:
        ordering = ["borough__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["borough", "name"], name="cluster_name_unique_in_borough"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.borough})"

    def clean(self):
        from django.core.exceptions import ValidationError

        moved = (
            self.pk
            and self.borough_id
            and WardCluster.objects.filter(pk=self.pk).exclude(borough_id=self.borough_id).exists()
        )
        if moved:
            raise ValidationError({"borough": "A cluster cannot move to another borough."})


def without_boundaries(queryset, *ward_paths: str):
    """`queryset` with the boundary of each ward it joins at `ward_paths` (e.g. "home_ward")
    left unread: a boundary is kilobytes of GeoJSON, decoded for every row, that a list showing
    the ward's code or name never uses."""
    return queryset.defer(*(f"{path}__boundary" for path in ward_paths))


class WardQuerySet(scoped_queryset("borough")):
    def containing(self, lat: float, lng: float):
        """Wards whose boundary contains the point (bounding box in SQL, polygon in Python)."""
        from shapely.geometry import Point, shape

        point = Point(lng, lat)
        candidates = self.filter(
            bbox_south__lte=lat, bbox_north__gte=lat, bbox_west__lte=lng, bbox_east__gte=lng
        )
        return [w for w in candidates if w.boundary and shape(w.boundary).covers(point)]


class Ward(models.Model):
    code = models.CharField(max_length=9, unique=True, help_text="ONS code, E05…")
    name = models.CharField(max_length=80)
    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="wards")
    cluster = models.ForeignKey(
        WardCluster, on_delete=models.SET_NULL, null=True, blank=True, related_name="wards"
    )
    centroid_lat = models.DecimalField(max_digits=9, decimal_places=6)
    centroid_lng = models.DecimalField(max_digits=9, decimal_places=6)
    area_km2 = models.DecimalField(max_digits=8, decimal_places=4, null=True, blank=True)
    # GeoJSON MultiPolygon (WGS84), ONS super-generalised boundaries: ~100 m accuracy.
    boundary = models.JSONField(null=True, blank=True)
    bbox_south = models.FloatField(null=True, blank=True)
    bbox_north = models.FloatField(null=True, blank=True)
    bbox_west = models.FloatField(null=True, blank=True)
    bbox_east = models.FloatField(null=True, blank=True)

    objects = WardQuerySet.as_manager()

    class Meta:
        ordering = ["borough__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^E05[0-9]{6}$"), name="ward_code_is_ons_e05"
            ),
            models.UniqueConstraint(fields=["borough", "name"], name="ward_name_unique_in_borough"),
        ]
        indexes = [models.Index(fields=["bbox_south", "bbox_north", "bbox_west", "bbox_east"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("wards:ward", args=[self.code])

    @property
    def police_uk_id(self) -> str:
        """data.police.uk's neighbourhood id for a Met ward: the ONS code plus N."""
        return f"{self.code}N"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.cluster_id and self.cluster.borough_id != self.borough_id:
            raise ValidationError({"cluster": "The cluster must be in the ward's own borough."})


class Place(models.Model):
    class Kind(models.TextChoices):
        SECONDARY_SCHOOL = "secondary_school", "Secondary school"
        PRIMARY_SCHOOL = "primary_school", "Primary school"
        COLLEGE = "college", "College"
        PLACE_OF_WORSHIP = "place_of_worship", "Place of worship"
        HOSPITAL = "hospital", "Hospital"
        NIGHTCLUB = "nightclub", "Nightclub"
        LICENSED_PREMISES = "licensed_premises", "Licensed premises"
        TRANSPORT_HUB = "transport_hub", "Transport hub"
        # A base Safer Neighbourhoods teams work from; wards sharing one may share a sergeant.
        SN_BASE = "sn_base", "SN base"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="places")
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    # Identifier in the source data set (e.g. "urn:100049" for a DfE school); blank for hand-added.
    source_ref = models.CharField(max_length=40, blank=True)
    # When it was added (empty for places loaded before this was kept): a month's report counts
    # only the places known at the month's end among those to visit.
    created_at = models.DateTimeField(auto_now_add=True, null=True)

    objects = scoped_queryset("ward__borough").as_manager()

    class Meta:
        ordering = ["ward__name", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_ref"], condition=~Q(source_ref=""), name="place_source_ref_unique"
            ),
            models.CheckConstraint(
                condition=(Q(lat__isnull=True) & Q(lng__isnull=True)) | LONDON_BOX.q("lat", "lng"),
                name="place_location_in_london",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"


# A normalised full postcode: capitals, outward and inward code separated by one space.
POSTCODE_PATTERN = r"^[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2}$"


class Postcode(models.Model):
    """A live London postcode (OS Code-Point Open, wards/data/PROVENANCE.md) with its centroid and
    the ward Code-Point assigns it from the postcode's own location, which is finer than the ward
    polygons. Reference data, replaced whole by `manage.py load_london`."""

    # Normalised: capitals, outward and inward code separated by one space ("NW1 9LT").
    postcode = models.CharField(max_length=8, primary_key=True)
    lat = models.DecimalField(max_digits=9, decimal_places=6)
    lng = models.DecimalField(max_digits=9, decimal_places=6)
    # Null for the City of London's postcodes: the City of London Police polices them, and its
    # wards are not Met wards.
    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="postcodes"
    )
    # Code-Point's positional quality: 10 within the building of a matched address; 30 and 50
    # approximate.
    quality = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["postcode"]
        # Districts ("NW3") and sectors ("NW3 2") are prefixes: LIKE 'NW3 %' uses the primary
        # key's varchar_pattern_ops index, which Django makes for every indexed CharField.
        indexes = [
            # The postcodes near a point (the browser's location).
            models.Index(fields=["lat", "lng"], name="postcode_lat_lng"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(postcode__regex=POSTCODE_PATTERN),
                name="postcode_is_normalised",
            ),
            models.CheckConstraint(condition=LONDON_BOX.q("lat", "lng"), name="postcode_in_london"),
        ]

    def __str__(self):
        return self.postcode
