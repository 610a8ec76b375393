"""Producing reports: one report per borough and month however often it is asked for, new
versions that keep the old, failures that leave no partial report, the monthly schedule and its
roll-up that waits for them, and the email to the commander."""

import datetime
import threading

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core import mail
from django.db import OperationalError, connection
from django.utils import timezone

from config.celery import app
from reports import emails, services, tasks
from reports.models import MonthlyReport
from tests.reports.conftest import MARCH

Status = MonthlyReport.Status


def ask(borough, **kw):
    return services.report_request(borough=borough, month=MARCH, **kw)


def test_asking_twice_for_a_month_gives_one_report(march):
    first, needs_run = ask(march.borough)
    again, needs_again = ask(march.borough)
    assert first.pk == again.pk
    assert (needs_run, needs_again) == (True, True)  # still pending: whoever runs it claims it
    services.report_produce(first.pk)
    third, needs_third = ask(march.borough)
    assert (third.pk, needs_third) == (first.pk, False)
    assert MonthlyReport.objects.count() == 1


def test_a_ready_report_is_a_snapshot_and_regenerating_adds_a_version(march, commander_a):
    v1 = services.report_produce(ask(march.borough)[0].pk)
    assert v1.status == Status.READY
    assert v1.figures["total"]["rostered_minutes"] == 2670  # 44:30
    assert v1.source["duties"] == 7  # the March duties of the borough
    march.pc3.duties.filter(starts_at__month=3, starts_at__year=2026).delete()

    v2, needs_run = ask(march.borough, by=commander_a, regenerate=True)
    assert (v2.version, needs_run) == (2, True)
    v2 = services.report_produce(v2.pk)
    v1.refresh_from_db()
    assert v1.figures["total"]["rostered_minutes"] == 2670
    assert v2.figures["total"]["rostered_minutes"] == 2190
    assert v2.figures["changes"]["previous_version"] == 1
    assert {"figure": "rostered_minutes", "before": 2670, "after": 2190} in v2.figures[
        "changes"]["figures"]
    assert services.report_produce(v1.pk).figures == v1.figures  # producing again changes nothing


def test_only_commanders_and_hq_may_ask(march, inspector_a, hq):
    with pytest.raises(services.PermissionDenied):
        ask(march.borough, by=inspector_a)
    assert ask(march.borough, by=hq)[0].requested_by == hq


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_generations_yield_one_report(transactional_db, march):
    computed = []
    barrier = threading.Barrier(2)

    def slow_compute(report):
        computed.append(report.pk)
        return services.compute_figures(report)

    def generate():
        try:
            barrier.wait(timeout=10)
            report, _ = ask(march.borough)
            services.report_produce(report.pk, compute=slow_compute)
        finally:
            connection.close()

    threads = [threading.Thread(target=generate) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    reports = list(MonthlyReport.objects.all())
    assert len(reports) == 1
    assert reports[0].status == Status.READY
    assert len(computed) == 1


def test_a_claim_left_by_a_killed_worker_is_taken_over_by_the_next_run(march):
    report, _ = ask(march.borough)
    assert services.report_claim(report.pk) is not None  # the worker that then dies
    assert services.report_produce(report.pk).status == Status.RUNNING  # still alive: hands off
    MonthlyReport.objects.filter(pk=report.pk).update(
        heartbeat_at=timezone.now()
        - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    )
    done = services.report_produce(report.pk)
    assert done.status == Status.READY
    assert done.attempts == 2
    assert done.figures["total"]["rostered_minutes"] == 2670


def test_an_error_mid_report_leaves_no_ready_report(march):
    report, _ = ask(march.borough)

    def crash(report):
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        services.report_produce(report.pk, compute=crash)
    report.refresh_from_db()
    assert report.status == Status.FAILED
    assert report.figures is None
    assert "disk on fire" in report.error
    assert not MonthlyReport.objects.filter(status=Status.READY).exists()
    retry, needs_run = ask(march.borough)
    assert (retry.version, needs_run) == (2, True)  # the failure stays on record for HQ


def test_a_transient_error_gives_the_claim_back_for_the_retry(march):
    report, _ = ask(march.borough)

    def flaky(report):
        raise OperationalError("connection reset")

    with pytest.raises(OperationalError):
        services.report_produce(report.pk, compute=flaky)
    report.refresh_from_db()
    assert (report.status, report.figures) == (Status.PENDING, None)
    assert services.report_produce(report.pk).status == Status.READY


def test_a_report_past_its_time_limit_is_recorded_as_failed(march):
    report, _ = ask(march.borough)

    def too_slow(report):
        raise SoftTimeLimitExceeded()

    with pytest.raises(SoftTimeLimitExceeded):
        services.report_produce(report.pk, compute=too_slow)
    report.refresh_from_db()
    assert report.status == Status.FAILED
    assert report.error.startswith("Time limit exceeded")


def test_the_commander_is_emailed_a_link_when_ready(
    march, commander_a, django_capture_on_commit_callbacks
):
    commander_a.email = "commander@met.police.example"
    commander_a.save()
    report, _ = ask(march.borough)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_produce(report.pk)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["commander@met.police.example"]
    link = f"{settings.SITE_URL}/reports/{report.pk}/"
    assert link in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and link in html
    assert emails.send_report_email(report.pk) == 0  # once only


def test_the_schedule_starts_the_monthly_reports_at_six_on_the_first():
    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["monthly-snt-reports"]
    assert entry["task"] in app.tasks
    schedule = entry["schedule"]
    assert (schedule.day_of_month, schedule.hour, schedule.minute) == ({1}, {6}, {0})
    assert settings.CELERY_TIMEZONE == "Europe/London"


def test_the_monthly_run_produces_every_borough_then_the_rollup(march, borough_a2, borough_b):
    borough_ids = tasks.reports_monthly.delay("2026-03").get()
    assert len(borough_ids) == 3
    reports = MonthlyReport.objects.filter(month=MARCH)
    assert set(reports.values_list("status", flat=True)) == {Status.READY}
    rollup = reports.get(borough__isnull=True)
    assert [b["borough"] for b in rollup.figures["boroughs"]] == [
        "Camden", "Islington", "Westminster",
    ]
    assert rollup.figures["total"]["rostered_minutes"] == 2670
    assert [b["bcu"] for b in rollup.figures["bcus"]] == ["Central North", "Central West"]
    tasks.reports_monthly.delay("2026-03").get()
    assert MonthlyReport.objects.filter(month=MARCH).count() == 4  # again: nothing new


def test_the_monthly_run_defaults_to_the_month_just_ended(borough_a, time_machine):
    time_machine.move_to(datetime.datetime(2026, 4, 1, 6, 0, tzinfo=datetime.UTC))
    tasks.reports_monthly.delay().get()
    assert set(MonthlyReport.objects.values_list("month", flat=True)) == {MARCH}


def test_the_monthly_run_through_a_real_worker(real_worker, march):
    result = tasks.reports_monthly.apply_async(args=["2026-03"])
    assert len(result.get(timeout=60)) == 1
    deadline = timezone.now() + datetime.timedelta(seconds=60)
    while timezone.now() < deadline:
        if MonthlyReport.objects.filter(borough__isnull=True, status=Status.READY).exists():
            break
        threading.Event().wait(0.5)
    rollup = MonthlyReport.objects.get(borough__isnull=True)
    assert rollup.status == Status.READY
    assert MonthlyReport.objects.get(borough=march.borough).figures["total"][
        "rostered_minutes"] == 2670


def test_the_rollup_waits_while_a_borough_is_unfinished(march):
    from celery.exceptions import Retry

    services.report_request(borough=march.borough, month=MARCH)  # pending, not produced
    with pytest.raises(Retry):
        tasks.report_rollup.apply(args=["2026-03"], throw=True)
    assert not MonthlyReport.objects.filter(borough__isnull=True).exists()


def test_an_email_the_mail_server_refused_is_sent_on_retry(march, commander_a, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    from config.mail import send_now
    from config.models import OutboundEmail

    commander_a.email = "commander@met.police.example"
    commander_a.save()
    report, _ = ask(march.borough)
    services.report_produce(report.pk)  # publishing writes the email (sent on commit)
    email = OutboundEmail.objects.get(key=f"monthly-report:{report.pk}")
    assert email.recipients == ["commander@met.police.example"] and email.sent_at is None
    real_send, calls = EmailMultiAlternatives.send, []

    def refused_once(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionRefusedError("mail server down")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", refused_once)
    with pytest.raises(ConnectionRefusedError):
        send_now(email.pk)
    assert send_now(email.pk) == 1  # the retry
    assert len(mail.outbox) == 1
    assert send_now(email.pk) == 0  # and only once
    assert emails.send_report_email(report.pk) == 0  # the report's email is claimed once too


def test_a_report_made_mid_month_is_followed_by_the_whole_month_on_the_1st(
    march, time_machine, client, commander_a
):
    """Asked for on 15 March at noon, the March report counts the month up to then and says so;
    the monthly run on 1 April adds version 2 for the whole month rather than keeping the half
    month, and says what changed and how many records were added since."""
    from django.urls import reverse

    from config.timeutils import LONDON
    from tests.reports.conftest import at, duty

    time_machine.move_to(datetime.datetime(2026, 3, 15, 12, 0, tzinfo=LONDON))
    early = services.report_produce(ask(march.borough)[0].pk)
    assert early.is_partial
    # Up to noon on the 15th: the night into 1 March (6 h), PC2's two flexed days and court
    # (8 h + 8 h + 3 h 30) and PC3's day (8 h).
    assert early.figures["total"]["rostered_minutes"] == 360 + 480 + 480 + 210 + 480
    client.force_login(commander_a)
    assert "To date: made before March ended" in client.get(
        reverse("reports:detail", args=[early.pk])).content.decode()

    # The fixture's records were written before the early report (the clock was moved back).
    from deployment.models import Abstraction, Duty, FlexRequest

    before = early.computed_at - datetime.timedelta(hours=1)
    Duty.objects.update(recorded_at=before)
    Abstraction.objects.update(recorded_at=before)
    FlexRequest.objects.update(created_at=before)
    duty(march.pc3, march.ward_east, at(2026, 3, 20, 8), at(2026, 3, 20, 16), by=march.recorder)
    time_machine.move_to(datetime.datetime(2026, 4, 1, 6, 0, tzinfo=LONDON))
    tasks.reports_monthly.delay().get()

    latest = MonthlyReport.objects.filter(borough=march.borough, month=MARCH).order_by("-version")
    assert [r.version for r in latest] == [2, 1]
    assert not latest[0].is_partial
    assert latest[0].figures["total"]["rostered_minutes"] == 2670 + 480
    assert latest[1].figures == early.figures
    changes = latest[0].figures["changes"]
    assert changes["records_added"] == {"duties": 1, "abstractions": 0, "flex_requests": 0}
    assert {"figure": "rostered_minutes", "before": 2010, "after": 3150} in changes["figures"]
    tasks.reports_monthly.delay().get()
    assert latest.count() == 2  # the whole-month version is kept from then on


@pytest.mark.parametrize("name", ["report_produce", "report_rollup", "reports_monthly",
                                  "report_email"])
def test_a_task_queued_under_its_name_in_deployment_runs_the_same_code(name):
    app.loader.import_default_modules()
    old, new = app.tasks[f"deployment.reports.tasks.{name}"], app.tasks[f"reports.tasks.{name}"]
    def code(task):  # a bound task's function comes back as a method
        return getattr(task.__wrapped__, "__func__", task.__wrapped__)

    assert code(old) is code(new)
    assert (old.max_retries, old.autoretry_for) == (new.max_retries, new.autoretry_for)


def test_an_email_queued_under_its_old_name_is_sent(
    march, commander_a, django_capture_on_commit_callbacks
):
    from config.models import OutboundEmail

    commander_a.email = "commander@met.police.example"
    commander_a.save()
    report, _ = ask(march.borough)
    services.report_produce(report.pk)
    # As before the outbox: published, its email not yet written, the old task queued.
    OutboundEmail.objects.all().delete()
    MonthlyReport.objects.filter(pk=report.pk).update(emailed_at=None)
    mail.outbox.clear()
    app.loader.import_default_modules()
    with django_capture_on_commit_callbacks(execute=True):
        app.tasks["deployment.reports.tasks.report_email"].apply(args=[report.pk])
    assert [m.to for m in mail.outbox] == [["commander@met.police.example"]]


def test_the_rollup_reads_which_boroughs_need_producing_in_one_query(
    march, borough_a2, borough_b, time_machine
):
    """The roll-up produces only the boroughs without a report it can sum (none yet, or only a
    "to date" one once the month is over), found in one query, not one per borough: with every
    borough ready, producing it runs the same queries whatever the number of boroughs."""
    from django.test.utils import CaptureQueriesContext

    from config.timeutils import LONDON
    from tests import factories as f

    time_machine.move_to(datetime.datetime(2026, 3, 15, 12, 0, tzinfo=LONDON))
    early = services.report_produce(ask(march.borough)[0].pk)
    assert early.is_partial
    time_machine.move_to(datetime.datetime(2026, 4, 1, 6, 0, tzinfo=LONDON))
    westminster = services.report_produce(ask(borough_b)[0].pk)
    rollup = services.report_produce(ask(None, whole_month=True)[0].pk)
    latest = {
        r.borough_id: r for r in MonthlyReport.objects.filter(month=MARCH, borough__isnull=False)
        .order_by("borough_id", "-version").distinct("borough_id")
    }
    # Camden's half month followed by the whole month, Islington produced, Westminster kept.
    assert (latest[march.borough.pk].version, latest[march.borough.pk].is_partial) == (2, False)
    assert latest[borough_a2.pk].version == 1
    assert latest[borough_b.pk].pk == westminster.pk
    assert {s["id"] for s in rollup.figures["sources"]} == {r.pk for r in latest.values()}

    def rollup_queries() -> int:
        report = services.report_request(borough=None, month=MARCH, regenerate=True)[0]
        with CaptureQueriesContext(connection) as ctx:
            services.report_produce(report.pk)
        return len(ctx.captured_queries)

    with_three = rollup_queries()
    services.report_produce(ask(f.BoroughFactory(bcu=borough_b.bcu))[0].pk)
    assert rollup_queries() == with_three
