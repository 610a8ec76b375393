"""A ward, borough, BCU or London, as the user may see it: the boroughs whose records count and
the filter that picks the area's rows in any table that reaches a ward.

Scoping is config.access's, as everywhere: a ward or borough of another borough is a 404; a BCU
counts only the boroughs the user may see (as the BCU page does), and is a 404 when they see none
of it; London is for London-wide roles (HQ, administrators), others get 403."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from config.access import borough_ids, get_for_user
from reports.performance.models import Level
from wards.models import Borough, Ward


@dataclass(frozen=True)
class Area:
    level: str
    code: str  # the ONS or BCU code; "" for London
    name: str
    borough_ids: tuple[int, ...]
    ward: Ward | None = None
    borough: Borough | None = None  # for a ward or a borough: the borough, for its breadcrumbs

    def wards(self, path: str = "ward") -> Q:
        """The rows of a table whose ward is at `path` that fall in the area."""
        if self.ward is not None:
            return Q(**{path: self.ward.pk})
        return Q(**{f"{path}__borough_id__in": self.borough_ids})

    @property
    def level_label(self) -> str:
        return Level(self.level).label

    @property
    def label(self) -> str:
        if self.level == Level.LONDON:
            return "London"
        if self.level == Level.BCU:
            return f"{self.name} BCU"
        return self.name


def london(user) -> Area:
    if borough_ids(user) is not None:
        raise PermissionDenied("London's performance is for HQ.")
    ids = tuple(Borough.objects.order_by("pk").values_list("pk", flat=True))
    return Area(Level.LONDON, "", "London", ids)


def area_for(user, level: str, code: str = "") -> Area:
    """The area the user asked for, or 404 (outside their boroughs) / 403 (London)."""
    if level == Level.LONDON:
        return london(user)
    if level == Level.WARD:
        ward = get_for_user(Ward.objects.select_related("borough__bcu"), user, code=code)
        return Area(Level.WARD, ward.code, ward.name, (ward.borough_id,), ward=ward,
                    borough=ward.borough)
    if level == Level.BOROUGH:
        borough = get_for_user(Borough.objects.select_related("bcu"), user, code=code)
        return Area(Level.BOROUGH, borough.code, borough.name, (borough.pk,), borough=borough)
    if level == Level.BCU:
        boroughs = list(Borough.objects.for_user(user).filter(bcu__code=code)
                        .select_related("bcu").order_by("pk"))
        if not boroughs:
            raise Http404("No BCU found.")
        bcu = boroughs[0].bcu
        return Area(Level.BCU, bcu.code, bcu.name, tuple(b.pk for b in boroughs))
    raise Http404("No such level.")
