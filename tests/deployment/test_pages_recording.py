"""Recording where time went from the pages: one duty, one abstraction, or a roster CSV with a
row-by-row report of what was rejected."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.timeutils import LONDON
from deployment.models import Abstraction, AbstractionType, Duty, RestDay
from deployment.roster import ROSTER_COLUMNS, roster_import
from tests.pages import assert_error_summary, post_as

pytestmark = pytest.mark.django_db
D = datetime.date


def duty_data(officer, **changes):
    return {"officer": officer.pk, "date": "2026-03-06", "start": "07:00", "end": "15:00",
            "kind": "home", **changes}


@pytest.fixture
def duty_url(db):
    return reverse("deployment:duty_new")


@pytest.fixture
def abstraction_url(db):
    return reverse("deployment:abstraction_new")


class TestRecordingADuty:
    def test_staff_record_a_shift_and_land_on_the_officers_month(
        self, client, staff_a, dwos_a, frozen_today, duty_url
    ):
        response = post_as(client, staff_a, duty_url, duty_data(dwos_a[0]))
        duty = Duty.objects.get()
        assert response["Location"] == reverse(
            "deployment:officer_month", args=[dwos_a[0].shoulder_number, 2026, 3]
        )
        assert (duty.kind, duty.hours, duty.recorded_by) == ("home", 8, staff_a)

    def test_an_end_before_the_start_is_the_next_morning(
        self, client, staff_a, dwos_a, frozen_today, duty_url
    ):
        post_as(client, staff_a, duty_url, duty_data(dwos_a[0], start="22:00", end="07:00"))
        duty = Duty.objects.get()
        assert duty.ends_at.astimezone(LONDON).date() == D(2026, 3, 7)
        assert duty.hours == 9

    def test_an_overlapping_shift_is_refused_on_the_start_time(
        self, client, staff_a, dwos_a, frozen_today, duty_url
    ):
        post_as(client, staff_a, duty_url, duty_data(dwos_a[0], start="22:00", end="07:00"))
        response = post_as(client, staff_a, duty_url,
                           duty_data(dwos_a[0], date="2026-03-07", start="06:00", end="14:00"))
        assert_error_summary(response, "already has a shift overlapping", field="id_start")
        assert Duty.objects.count() == 1

    def test_a_flexed_shift_needs_the_ward_worked(
        self, client, staff_a, dwos_a, frozen_today, duty_url
    ):
        response = post_as(client, staff_a, duty_url, duty_data(dwos_a[0], kind="flexed"))
        assert_error_summary(response, "Say which other ward", field="id_worked_ward")
        assert not Duty.objects.exists()

    def test_the_officer_named_in_the_address_is_chosen(
        self, client, staff_a, dwos_a, frozen_today, duty_url
    ):
        client.force_login(staff_a)
        response = client.get(duty_url + f"?officer={dwos_a[1].shoulder_number}")
        assert f'<option value="{dwos_a[1].pk}" selected>' in response.content.decode()

    def test_an_outsider_cannot_record_a_shift_for_another_boroughs_officer(
        self, client, inspector_b, dwos_a, frozen_today, duty_url
    ):
        response = post_as(client, inspector_b, duty_url, duty_data(dwos_a[0]))
        assert_error_summary(response, "Choose an active officer of your borough",
                             field="id_officer")
        assert not Duty.objects.exists()

    @pytest.mark.parametrize("who", ["commander_a", "hq"])
    def test_read_only_roles_cannot_record(self, client, cast, dwos_a, frozen_today, duty_url,
                                           who):
        assert post_as(client, cast(who), duty_url, duty_data(dwos_a[0])).status_code == 403
        assert not Duty.objects.exists()


class TestRecordingAnAbstraction:
    def data(self, officer, **changes):
        return {
            "officer": officer.pk,
            "abstraction_type": AbstractionType.objects.get(code="central-aid").pk,
            "start_date": "2026-03-14", "start": "06:00", "end_date": "2026-03-14", "end": "20:00",
            **changes,
        }

    def test_abstracting_a_dedicated_officer_needs_the_event(
        self, client, staff_a, dwos_a, frozen_today, abstraction_url
    ):
        response = post_as(client, staff_a, abstraction_url, self.data(dwos_a[0]))
        assert_error_summary(response, "significant event", field="id_significant_event")
        assert not Abstraction.objects.exists()

    def test_staff_record_an_abstraction_and_it_holds_the_officer(
        self, client, staff_a, dwos_a, frozen_today, abstraction_url
    ):
        data = self.data(dwos_a[0], significant_event="Demonstration in Whitehall",
                         authorised_by_name="Supt Khan")
        response = post_as(client, staff_a, abstraction_url, data)
        abstraction = Abstraction.objects.get()
        assert response.status_code == 302
        assert abstraction.commitment.officer == dwos_a[0]
        assert abstraction.starts_at.astimezone(LONDON).hour == 6

    def test_an_end_before_the_start_is_refused_on_the_end(
        self, client, staff_a, dwos_a, frozen_today, abstraction_url
    ):
        response = post_as(client, staff_a, abstraction_url,
                           self.data(dwos_a[0], end="05:00", significant_event="x",
                                     authorised_by_name="y"))
        assert_error_summary(response, "must end after it starts", field="id_end")


def upload(client, user, text, valid_only=False, name="roster.csv"):
    data = {"roster": SimpleUploadedFile(name, text if isinstance(text, bytes) else
                                         text.encode(), content_type="text/csv")}
    if valid_only:
        data["valid_only"] = "on"
    return post_as(client, user, reverse("deployment:roster_import"), data)


def roster(*rows):
    header = "shoulder_number,date,start,end,kind,worked_ward"
    return "\n".join([header, *rows]) + "\n"


class TestUploadingARoster:
    def test_a_good_roster_is_imported(self, client, staff_a, dwos_a, frozen_today):
        sn = dwos_a[0].shoulder_number
        response = upload(client, staff_a, roster(f"{sn},2026-03-06,07:00,15:00,home,",
                                                  f"{sn},2026-03-07,22:00,07:00,,"))
        assert "2 duty rows imported." in response.content.decode()
        assert Duty.objects.count() == 2

    def test_bad_rows_are_reported_line_by_line_and_nothing_is_imported(
        self, client, staff_a, dwos_a, frozen_today
    ):
        sn = dwos_a[0].shoulder_number
        text = roster(
            f"{sn},2026-03-06,07:00,15:00,home,",
            "9999ZZ,2026-03-06,07:00,15:00,home,",
            f"{sn},06/13/2026,07:00,15:00,home,",
            f"{sn},2026-03-07,07:00,15:00,flexed,E05999999",
        )
        response = upload(client, staff_a, text)
        content = response.content.decode()
        assert "Nothing was imported" in content
        assert "3 rows of the roster have problems" in content
        rejected = response.context["result"].rejected
        assert [line for line, _ in rejected] == [3, 4, 5]
        assert "Column shoulder_number: no officer &#x27;9999ZZ&#x27; in your boroughs." in content
        assert "Column date: 06/13/2026 is not a real date" in content
        assert "Column worked_ward: No ward with the ONS code E05999999 in your boroughs" in content
        assert not Duty.objects.exists()

    def test_ticking_valid_rows_only_imports_them_and_reports_the_rest(
        self, client, staff_a, dwos_a, frozen_today
    ):
        sn = dwos_a[0].shoulder_number
        text = roster(f"{sn},2026-03-06,07:00,15:00,home,", "9999ZZ,2026-03-06,07:00,15:00,,")
        response = upload(client, staff_a, text, valid_only=True)
        content = response.content.decode()
        assert "1 duty row imported; 1 row left out." in content
        assert "no officer &#x27;9999ZZ&#x27;" in content
        assert Duty.objects.count() == 1

    def test_a_file_without_the_required_columns_is_refused_on_the_file(
        self, client, staff_a, frozen_today
    ):
        response = upload(client, staff_a, "name,when\nPriya,today\n")
        assert_error_summary(
            response, "The CSV needs the columns: date, end, shoulder_number, start",
            field="id_roster",
        )

    def test_a_file_that_is_not_utf8_is_refused(self, client, staff_a, frozen_today):
        response = upload(client, staff_a, "shoulder_number\n\xff\xfe".encode("latin-1"))
        assert_error_summary(response, "saved as UTF-8", field="id_roster")

    def test_no_file_is_asked_for(self, client, staff_a, frozen_today):
        client.force_login(staff_a)
        response = client.post(reverse("deployment:roster_import"), {})
        assert_error_summary(response, "Choose the roster CSV file to upload")

    @pytest.mark.parametrize("who", ["commander_a", "hq"])
    def test_read_only_roles_cannot_upload(self, client, cast, dwos_a, frozen_today, who):
        sn = dwos_a[0].shoulder_number
        response = upload(client, cast(who), roster(f"{sn},2026-03-06,07:00,15:00,home,"))
        assert response.status_code == 403
        assert not Duty.objects.exists()

    def test_the_template_has_the_roster_columns_and_example_rows_that_import(
        self, client, staff_a, ward_a, dwos_a_east
    ):
        client.force_login(staff_a)
        response = client.get(reverse("deployment:roster_template"))
        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
        header, *examples = response.content.decode().strip().splitlines()
        assert header == ",".join(ROSTER_COLUMNS)
        assert examples[0].startswith("7016EA,27/11/2026,7:00,15:00,home,")
        # The flexed example names one of the user's wards by name: the importer reads it.
        assert "Haverstock" in examples[1]
        text = response.content.decode().replace("7016EA", dwos_a_east[0].shoulder_number)
        result = roster_import(text=text, by=staff_a, valid_only=True)
        assert result.imported == 3, result.rejected
        assert Duty.objects.filter(kind="flexed", worked_ward__name="Haverstock").exists()
        # The rest day example: a date and no times.
        assert examples[2].startswith("7016EA,29/11/2026,,,rest,")
        assert RestDay.objects.get().officer == dwos_a_east[0]
