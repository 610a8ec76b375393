"""Two commanders deciding the same borough's supervision at once: the borough's row is locked
first, so the second waits, then finds the first decision and is refused (409), never a 500
nor two sets of postings."""

import datetime
import threading
import time

import pytest
from django.db import connection

from config.errors import ConflictError
from config.timeutils import today
from supervision import services
from supervision.models import SupervisionDecision
from supervision.recommendation import recommend
from teams.models import Posting


@pytest.mark.django_db(transaction=True)
def test_the_second_of_two_decisions_at_once_waits_and_is_refused(
    commander_a, admin_user, borough_a, row, monkeypatch
):
    w = row
    groups = [[w["W1"].code, w["W2"].code], [w["W3"].code, w["W4"].code, w["W5"].code]]
    groups.append([w["W6"].code])
    day = today() + datetime.timedelta(days=7)
    rec = recommend(borough_a, on=today())
    real_end = services._end_postings
    inside = threading.Event()

    def end_then_pause(*args, **kwargs):
        real_end(*args, **kwargs)
        inside.set()
        time.sleep(1.5)  # the other decision arrives now

    monkeypatch.setattr(services, "_end_postings", end_then_pause)
    outcomes = {}

    def decide(name, user, wait):
        try:
            if wait:
                assert inside.wait(10)
            services.decision_record(
                borough=borough_a, recommendation=rec, groups=groups, effective_from=day,
                rationale=name, by=user, today=today(),
            )  # fmt: skip
            outcomes[name] = "recorded"
        except ConflictError as exc:
            outcomes[name] = f"refused: {exc.message}"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=("first", commander_a, False)),
        threading.Thread(target=decide, args=("second", admin_user, True)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert outcomes["first"] == "recorded"
    assert outcomes["second"].startswith("refused: A decision from")
    assert SupervisionDecision.objects.get().rationale == "first"
    assert Posting.objects.filter(start_date=day).count() == 6  # one set of postings
