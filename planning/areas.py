"""The area a profile is for: one ward, one cluster or one borough, fetched through the user's
scope (another borough's is a 404)."""

from dataclasses import dataclass

from config.access import get_for_user
from config.errors import DomainError
from wards.models import Borough, Ward, WardCluster


@dataclass
class Area:
    kind: str
    key: str
    name: str
    ward_ids: list[int]
    borough: Borough

    @property
    def label(self) -> str:
        if self.kind == "borough":
            return self.name
        return f"{self.name} ({self.kind}, {self.borough.name})"


def area_for(user, *, ward=None, cluster=None, borough=None) -> Area:
    """`ward` and `borough` are ONS codes, or the objects the filters already resolved within
    the user's boroughs (wards.names), used as they are."""
    given = [(k, v) for k, v in (("ward", ward), ("cluster", cluster), ("borough", borough)) if v]
    if len(given) != 1:
        raise DomainError("Choose one ward, one cluster or one borough.", field="ward")
    kind, value = given[0]
    if kind == "ward":
        found = value if isinstance(value, Ward) else get_for_user(
            Ward.objects.select_related("borough"), user, code=value
        )
        return Area("ward", found.code, found.name, [found.pk], found.borough)
    if kind == "cluster":
        if not str(value).isdigit() or len(str(value)) > 18:
            raise DomainError("A cluster is given by its number.", field="cluster")
        found = get_for_user(WardCluster.objects.select_related("borough"), user, pk=int(value))
        ids = list(Ward.objects.filter(cluster=found).values_list("pk", flat=True))
        return Area("cluster", str(found.pk), found.name, ids, found.borough)
    found = value if isinstance(value, Borough) else get_for_user(Borough, user, code=value)
    ids = list(Ward.objects.filter(borough=found).values_list("pk", flat=True))
    return Area("borough", found.code, found.name, ids, found)
