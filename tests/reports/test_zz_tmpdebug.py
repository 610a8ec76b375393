import datetime, threading
from django.utils import timezone
from deployment.reports import tasks
from deployment.reports.models import MonthlyReport

def test_dbg(real_worker, march):
    from config.celery import app
    result = tasks.reports_monthly.apply_async(args=["2026-03"])
    result.get(timeout=60)
    deadline = timezone.now() + datetime.timedelta(seconds=20)
    while timezone.now() < deadline:
        if MonthlyReport.objects.filter(borough__isnull=True).exists():
            return
        threading.Event().wait(0.5)
    app.control.broadcast("shutdown")
    real_worker.wait(timeout=20)
    print("WORKERLOG", real_worker.stdout.read().decode()[-8000:])
    assert False
