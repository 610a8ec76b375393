"""Two commanders deciding the same borough's Safer Schools allocation at once: the borough's row
is locked first, so the second waits, then finds the first decision and is refused (409), never
a 500 nor two decisions (or two sets of allocations) for one date."""

import threading
import time

import pytest
from django.db import connection

from config.errors import ConflictError
from config.timeutils import today
from schools import services
from schools.models import Allocation, AllocationDecision


@pytest.mark.django_db(transaction=True)
def test_the_second_of_two_allocations_at_once_waits_and_is_refused(
    hand_built, borough_a, commander_a, admin_user, monkeypatch
):
    real_recommend = services.recommend
    inside = threading.Event()

    def recommend_then_pause(*args, **kwargs):
        rec = real_recommend(*args, **kwargs)
        if not inside.is_set():
            inside.set()
            time.sleep(1.5)  # the other decision arrives now, the first not yet written
        return rec

    monkeypatch.setattr(services, "recommend", recommend_then_pause)
    outcomes = {}

    def decide(name, user, wait):
        try:
            if wait:
                assert inside.wait(10)
            services.allocation_record(
                borough=borough_a, effective_from=today(), rationale=name, by=user,
                today=today(), officers=2,
            )  # fmt: skip
            outcomes[name] = "recorded"
        except ConflictError as exc:
            outcomes[name] = f"refused: {exc.message}"
        except Exception as exc:  # the fault this test is about
            outcomes[name] = f"failed: {exc!r}"
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
    assert outcomes["second"].startswith("refused: An allocation from that date"), outcomes
    decision = AllocationDecision.objects.get()
    assert decision.rationale == "first"
    assert Allocation.objects.filter(decision=decision).count() == len(hand_built["schools"])
