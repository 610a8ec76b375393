"""Two uploads of the same per-school file at once (a double click, two staff with one file):
the second waits for the first, then finds the schools the first added and updates them, never
a 500 from the unique URN and never two copies of a school."""

import threading
import time

import pytest
from django.db import connection

from schools import importing
from schools.models import School
from tests import factories as f

NEW_SCHOOL = "urn,name,kind,postcode,victims\n123456,Kentish Town PRU,pru,NW1 1AA,4\n"


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_the_same_new_school_at_once_add_it_once(
    staff_a, ward_a, monkeypatch
):
    f.PostcodeFactory(postcode="NW1 1AA", ward=ward_a)
    real_school = importing._school
    inside = threading.Event()

    def school_then_pause(*args, **kwargs):
        school = real_school(*args, **kwargs)
        if not inside.is_set():
            inside.set()
            time.sleep(1.5)  # the second upload arrives now, the first not yet saved
        return school

    monkeypatch.setattr(importing, "_school", school_then_pause)
    reports, errors = {}, {}

    def upload(name, wait):
        try:
            if wait:
                assert inside.wait(10)
            reports[name] = importing.import_schools(NEW_SCHOOL, user=staff_a)
        except Exception as exc:  # the fault this test is about: any exception at all
            errors[name] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=(name, name == "second"))
               for name in ("first", "second")]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == {}
    assert [len(reports[n].created) for n in ("first", "second")] == [1, 0]
    assert [len(reports[n].updated) for n in ("first", "second")] == [0, 1]
    school = School.objects.get(urn="123456")
    assert (school.ward, school.victims) == (ward_a, 4)
