"""Moving the reports out of deployment moved no data: a database that already holds reports,
admin history and permissions on them finds all of it through the reports app afterwards."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from reports.models import MonthlyReport

BEFORE = [("deployment", "0006_abstraction_borough"), ("reports", None)]


def _migrate(targets):
    """Migrate to `targets`; the models as the database then has them."""
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationExecutor(connection).loader
    return loader.project_state(list(loader.applied_migrations)).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_reports_made_before_the_move_are_found_through_the_reports_app():
    old = _migrate(BEFORE)
    old_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="deployment", model="monthlyreport"
    )[0]
    permission = old.get_model("auth", "Permission").objects.get_or_create(
        content_type_id=old_type.pk, codename="view_monthlyreport",
        defaults={"name": "Can view monthly report"},
    )[0]
    bcu = old.get_model("wards", "BCU").objects.create(code="CN", name="Central North")
    borough = old.get_model("wards", "Borough").objects.create(
        code="E09000007", name="Camden", bcu=bcu
    )
    user = old.get_model("teams", "User").objects.create(username="hq-before-the-move")
    report = old.get_model("deployment", "MonthlyReport").objects.create(
        borough=borough, month=datetime.date(2026, 2, 1), status="ready",
        figures={"total": {"rostered_hours": 12.5}}, computed_at=timezone.now(),
    )
    old.get_model("admin", "LogEntry").objects.create(
        user_id=user.pk, content_type_id=old_type.pk, object_id=str(report.pk),
        object_repr="Camden February 2026 v1", action_flag=2,
    )

    _migrate(_latest())
    ContentType.objects.clear_cache()

    moved = MonthlyReport.objects.get(pk=report.pk)
    assert (moved.borough.code, moved.month, moved.figures) == (
        "E09000007", datetime.date(2026, 2, 1), {"total": {"rostered_hours": 12.5}}
    )
    content_type = ContentType.objects.get_for_model(MonthlyReport)
    assert (content_type.pk, content_type.app_label) == (old_type.pk, "reports")
    assert not ContentType.objects.filter(app_label="deployment", model="monthlyreport").exists()
    assert LogEntry.objects.get(object_id=str(report.pk)).content_type == content_type
    assert Permission.objects.get(pk=permission.pk).content_type == content_type


@pytest.mark.django_db(transaction=True)
def test_the_move_can_be_undone_and_the_reports_go_back_to_deployment():
    _migrate(_latest())
    ContentType.objects.get_for_model(MonthlyReport)  # as post_migrate makes it
    ContentType.objects.clear_cache()

    old = _migrate(BEFORE)
    old_types = old.get_model("contenttypes", "ContentType").objects
    assert old_types.filter(app_label="deployment", model="monthlyreport").exists()
    assert not old_types.filter(app_label="reports", model="monthlyreport").exists()
    assert old.get_model("deployment", "MonthlyReport").objects.count() == 0

    _migrate(_latest())
    ContentType.objects.clear_cache()
