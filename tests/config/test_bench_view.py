"""`make bench`'s bare view: one query, routed only when BENCH_BARE_VIEW is on, and production
refuses to start with it on."""

import pytest
from django.test import RequestFactory

from config.views import bench_bare
from tests.config.test_settings import GOOD_PROD, run_manage


@pytest.mark.django_db
def test_it_is_not_routed_unless_the_bench_asks(client, settings):
    assert settings.BENCH_BARE_VIEW is False
    assert client.get("/bench/bare/").status_code == 404


@pytest.mark.django_db
def test_it_runs_one_query(borough_a, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = bench_bare(RequestFactory().get("/bench/bare/"))
    assert response.status_code == 200
    assert response.content == b"Camden"


def test_production_refuses_it():
    result = run_manage({**GOOD_PROD, "BENCH_BARE_VIEW": "true"}, "check")
    assert result.returncode != 0
    assert "BENCH_BARE_VIEW is for `make bench` only" in result.stderr


def test_the_bench_serves_production_settings_with_it_on():
    result = run_manage(
        {**GOOD_PROD, "DJANGO_SETTINGS_MODULE": "config.settings.bench"},
        "shell", "-c", "from django.urls import resolve; print(resolve('/bench/bare/').url_name)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "bench_bare"
