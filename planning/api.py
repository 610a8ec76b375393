"""GET /api/v1/demand/profile/: the hour × day grid of CAD demand and SN officer-hours for a
ward, a cluster or a borough the user sees (another borough's: 404)."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers
from rest_framework.response import Response

from demand.areas import valid_filter
from demand.selectors import selection
from planning import profile
from planning.areas import area_for
from planning.filters import ProfileFilter
from wards.models import Ward


class CellSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(help_text="0 = Monday.")
    day = serializers.CharField()
    hour = serializers.IntegerField(help_text="London time, 0-23.")
    calls = serializers.IntegerField()
    asb_calls = serializers.IntegerField()
    sn_officer_minutes = serializers.IntegerField()
    sn_officer_hours = serializers.FloatField()
    high_demand_low_cover = serializers.BooleanField()


class ShareSerializer(serializers.Serializer):
    demand_share = serializers.FloatField(allow_null=True)
    sn_share = serializers.FloatField(allow_null=True)
    ratio = serializers.FloatField(
        help_text="The setting: SN share must be ≥ ratio × demand share."
    )
    met = serializers.BooleanField(allow_null=True)


class ProfileSerializer(serializers.Serializer):
    area = serializers.DictField(child=serializers.CharField())
    month_from = serializers.CharField()
    month_to = serializers.CharField()
    cells = CellSerializer(many=True)
    sn_minutes = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Officer-minutes: rostered − abstracted − flex_out + flex_in = on_duty.",
    )
    evenings = ShareSerializer()
    weekends = ShareSerializer()


def profile_data(prof: profile.Profile, area) -> dict:
    return {
        "area": {"kind": area.kind, "id": area.key, "name": area.name},
        "month_from": f"{prof.selection.first:%Y-%m}",
        "month_to": f"{prof.selection.last:%Y-%m}",
        "cells": list(prof.cells()),
        "sn_minutes": prof.totals(),
        "evenings": prof.evenings,
        "weekends": prof.weekends,
    }


def profile_for(filterset: ProfileFilter, user):
    data = filterset.form.cleaned_data
    area = area_for(
        user, ward=data.get("ward"), cluster=data.get("cluster"), borough=data.get("borough")
    )
    sel = selection(data.get("month_from"), data.get("month_to"), kind="cad")
    return profile.build(area.label, area.ward_ids, sel), area


class ProfileView(generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticated]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProfileFilter
    serializer_class = ProfileSerializer

    def get_queryset(self):
        return Ward.objects.for_user(self.request.user)

    @extend_schema(responses={200: ProfileSerializer})
    def get(self, request):
        prof, area = profile_for(
            valid_filter(request, filter_class=ProfileFilter, resource=("ward", "borough")),
            request.user,
        )
        return Response(profile_data(prof, area))
