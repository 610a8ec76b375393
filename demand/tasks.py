"""Celery tasks for demand: a thin wrapper that runs a queued import by its id."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from config.tasks import DEFAULT_RETRY
from demand import importing, runner
from demand.models import DataImport

log = logging.getLogger(__name__)


@shared_task(**DEFAULT_RETRY)
def run_import(record_id: int, all_or_nothing: bool = False) -> int:
    """Run an import. A failure that is not transient is recorded on the import (status failed,
    with the error) for the page to show, not raised again."""
    try:
        runner.run(record_id, all_or_nothing)
    except (OperationalError, InterfaceError):
        DataImport.objects.filter(pk=record_id).update(status=DataImport.Status.QUEUED)
        raise
    except Exception as exc:
        log.exception("Demand import %s failed", record_id)
        record = DataImport.objects.get(pk=record_id)
        importing.fail(record, f"The import failed unexpectedly: {exc.__class__.__name__}.")
    return record_id


@shared_task(**DEFAULT_RETRY)
def seed_demo() -> int:
    """The demo's demand data (demand/demo.py), for `make run` to hand to the worker: it takes a
    few minutes, and the pages show each import as it lands."""
    from demand.demo import seed_demand_demo

    report = seed_demand_demo(out=log.info)
    for line in report.lines:
        log.info(line)
    return len(report.lines)
