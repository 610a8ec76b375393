"""Closed months' minutes stored once (reports.models.StoredWardMonth), read by the 12-month trend
of every later report instead of computing each month again, and the triggers that forget a
stored month whenever a record it was computed from changes.

The triggers are statement-level (one DELETE per statement, so a COPY or a bulk import of a year
costs one): every insert, update or delete of a duty, an abstraction, a flex request, a flex
member or a flex transition forgets the stored months it is dated in (a flex's from the day before
its first to the day after its last: its windows run past midnight), and a ward changing borough
forgets them all. A write into a month that is over (or ends within the hour) first takes the
advisory lock STORE_LOCK exclusively; a report storing months holds it shared from before it
reads the records to its commit (reports.hours_figures), so a month is never stored from a
snapshot older than a write that forgot it."""

import django.db.models.deletion
from django.db import migrations, models

# reports.hours_figures.STORE_LOCK: the same number.
STORE_LOCK = 7_261_302_013
TZ = "Europe/London"

FORGET = f"""
CREATE FUNCTION reports_forget_stored_months(lo timestamptz, hi timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF lo IS NULL OR hi IS NULL THEN
        RETURN;
    END IF;
    IF lo < (date_trunc('month', (clock_timestamp() + interval '1 hour') AT TIME ZONE '{TZ}')
             AT TIME ZONE '{TZ}') THEN
        PERFORM pg_advisory_xact_lock({STORE_LOCK});
    END IF;
    DELETE FROM reports_storedwardmonth
    WHERE month >= date_trunc('month', lo AT TIME ZONE '{TZ}')::date
      AND month <= (hi AT TIME ZONE '{TZ}')::date;
END $$;

CREATE FUNCTION reports_forget_all_stored_months() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock({STORE_LOCK});
    DELETE FROM reports_storedwardmonth;
    RETURN NULL;
END $$;
"""

# How each table's rows give the instants they touch: (the function's name, its SELECT over a
# transition table called `rows`).
SPANS = {
    "timed": "SELECT min(r.starts_at), max(r.ends_at) FROM {rows} r",
    "flex": (
        f"SELECT (min(r.start_date) - 1)::timestamp AT TIME ZONE '{TZ}', "
        f"(max(GREATEST(r.end_date, r.ended_on)) + 2)::timestamp AT TIME ZONE '{TZ}' "
        "FROM {rows} r"
    ),
    "flex_part": (
        f"SELECT (min(f.start_date) - 1)::timestamp AT TIME ZONE '{TZ}', "
        f"(max(GREATEST(f.end_date, f.ended_on)) + 2)::timestamp AT TIME ZONE '{TZ}' "
        "FROM {rows} r JOIN deployment_flexrequest f ON f.id = r.flex_request_id"
    ),
}
TABLES = {
    "deployment_duty": "timed",
    "deployment_abstraction": "timed",
    "deployment_flexrequest": "flex",
    "deployment_flexofficer": "flex_part",
    "deployment_flextransition": "flex_part",
}


def span_function(kind: str) -> str:
    return f"""
CREATE FUNCTION reports_forget_{kind}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    lo timestamptz;
    hi timestamptz;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {SPANS[kind].format(rows="new_rows")} INTO lo, hi;
        PERFORM reports_forget_stored_months(lo, hi);
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        {SPANS[kind].format(rows="old_rows")} INTO lo, hi;
        PERFORM reports_forget_stored_months(lo, hi);
    END IF;
    RETURN NULL;
END $$;
"""


def table_triggers(table: str, kind: str) -> str:
    refs = {
        "INSERT": "NEW TABLE AS new_rows",
        "UPDATE": "NEW TABLE AS new_rows OLD TABLE AS old_rows",
        "DELETE": "OLD TABLE AS old_rows",
    }
    sql = [
        f"CREATE TRIGGER reports_forget_{op.lower()} AFTER {op} ON {table} REFERENCING {ref} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION reports_forget_{kind}();"
        for op, ref in refs.items()
    ]
    sql.append(
        f"CREATE TRIGGER reports_forget_truncate AFTER TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION reports_forget_all_stored_months();"
    )
    return "\n".join(sql)


WARD_TRIGGER = """
CREATE TRIGGER reports_forget_on_borough_change AFTER UPDATE OF borough_id ON wards_ward
FOR EACH ROW WHEN (OLD.borough_id IS DISTINCT FROM NEW.borough_id)
EXECUTE FUNCTION reports_forget_all_stored_months();
"""

CREATE_TRIGGERS = "\n".join(
    [FORGET, *(span_function(kind) for kind in SPANS),
     *(table_triggers(t, k) for t, k in TABLES.items()), WARD_TRIGGER]
)
DROP_TRIGGERS = "\n".join(
    [
        *(f"DROP TRIGGER IF EXISTS reports_forget_{op} ON {t};" for t in TABLES
          for op in ("insert", "update", "delete", "truncate")),
        "DROP TRIGGER IF EXISTS reports_forget_on_borough_change ON wards_ward;",
        *(f"DROP FUNCTION IF EXISTS reports_forget_{kind}();" for kind in SPANS),
        "DROP FUNCTION IF EXISTS reports_forget_all_stored_months();",
        "DROP FUNCTION IF EXISTS reports_forget_stored_months(timestamptz, timestamptz);",
    ]
)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_monthly_report_moved_from_deployment"),
        ("wards", "0004_place_kind_sn_base"),
        ("deployment", "0010_review_changes_cover_overrides_and_problem_links"),
    ]

    operations = [
        migrations.CreateModel(
            name="StoredWardMonth",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("month", models.DateField(help_text="The first day of the month.")),
                ("definition", models.CharField(max_length=16)),
                ("as_at", models.DateTimeField(
                    help_text="The month's end: flexes' status as it stood then.")),
                ("duties", models.PositiveIntegerField()),
                ("rostered_minutes", models.PositiveBigIntegerField()),
                ("abstracted_in_duty_minutes", models.PositiveBigIntegerField()),
                ("flexed_out_minutes", models.PositiveBigIntegerField()),
                ("authorised_flex_minutes", models.PositiveBigIntegerField()),
                ("computed_at", models.DateTimeField()),
                ("borough", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                              related_name="+", to="wards.borough")),
                ("ward", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                           related_name="+", to="wards.ward")),
            ],
            options={
                "indexes": [models.Index(fields=["borough", "month"],
                                         name="stored_ward_month_borough")],
                "constraints": [
                    models.UniqueConstraint(fields=("ward", "month"),
                                            name="stored_ward_month_once"),
                    models.CheckConstraint(condition=models.Q(("month__day", 1)),
                                           name="stored_ward_month_is_first_day"),
                ],
            },
        ),
        migrations.RunSQL(CREATE_TRIGGERS, DROP_TRIGGERS),
    ]
