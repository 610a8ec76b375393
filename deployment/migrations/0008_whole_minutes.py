"""Duties, abstractions, their commitments and flex windows in whole minutes: existing times are
cut to the minute (ends before starts, so no two periods of an officer overlap on the way; a
period cut to nothing keeps one minute), then the database holds every new one to it. An
abstraction is held to less than 31 days, as the recording service always held it."""

import config.timeutils
import datetime
import deployment.models
import django.db.models.expressions
from django.conf import settings
from django.db import migrations, models


def _cut_to_the_minute(table: str) -> list[str]:
    """Ends first: moving an end earlier never makes an officer's periods overlap."""
    def cut(column):
        return (
            f"UPDATE {table} SET {column} = date_trunc('minute', {column}, 'UTC') "
            f"WHERE {column} <> date_trunc('minute', {column}, 'UTC')"
        )

    return [
        cut("ends_at"),
        cut("starts_at"),
        f"UPDATE {table} SET ends_at = starts_at + interval '1 minute' WHERE ends_at <= starts_at",
    ]


def _cut_time(column: str) -> str:
    return (
        f"UPDATE deployment_flexrequest "
        f"SET {column} = date_trunc('minute', DATE '2000-01-01' + {column})::time "
        f"WHERE {column} <> date_trunc('minute', DATE '2000-01-01' + {column})::time"
    )


CUT = [
    *_cut_to_the_minute("deployment_duty"),
    *_cut_to_the_minute("deployment_abstraction"),
    *_cut_to_the_minute("deployment_commitment"),
    _cut_time("daily_start"),
    _cut_time("daily_end"),
    # The updates' deferred foreign-key checks run now: a table with pending checks cannot take
    # the constraints below in the same transaction.
    "SET CONSTRAINTS ALL IMMEDIATE",
]


class Migration(migrations.Migration):

    dependencies = [
        ('deployment', '0007_monthly_report_moved_to_reports'),
        ('teams', '0004_drop_unexpiring_api_tokens'),
        ('wards', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='abstraction',
            name='ends_at',
            field=models.DateTimeField(validators=[config.timeutils.validate_whole_minute]),
        ),
        migrations.AlterField(
            model_name='abstraction',
            name='starts_at',
            field=models.DateTimeField(validators=[config.timeutils.validate_whole_minute]),
        ),
        migrations.AlterField(
            model_name='duty',
            name='ends_at',
            field=models.DateTimeField(validators=[config.timeutils.validate_whole_minute]),
        ),
        migrations.AlterField(
            model_name='duty',
            name='starts_at',
            field=models.DateTimeField(validators=[config.timeutils.validate_whole_minute]),
        ),
        migrations.AlterField(
            model_name='flexrequest',
            name='daily_end',
            field=models.TimeField(help_text='End of the window; earlier than the start means overnight.', validators=[config.timeutils.validate_whole_minute]),
        ),
        migrations.AlterField(
            model_name='flexrequest',
            name='daily_start',
            field=models.TimeField(help_text='Start of the daily deployment window.', validators=[config.timeutils.validate_whole_minute]),
        ),
        migrations.RunSQL(CUT, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name='abstraction',
            index=models.Index(fields=['officer', 'starts_at'], name='deployment__officer_32fde1_idx'),
        ),
        migrations.AddConstraint(
            model_name='abstraction',
            constraint=models.CheckConstraint(condition=models.Q(('ends_at__lt', django.db.models.expressions.CombinedExpression(models.F('starts_at'), '+', models.Value(datetime.timedelta(days=31))))), name='abstraction_shorter_than_max_days'),
        ),
        migrations.AddConstraint(
            model_name='abstraction',
            constraint=models.CheckConstraint(condition=models.Q(deployment.models.IsWholeMinute('starts_at'), deployment.models.IsWholeMinute('ends_at')), name='abstraction_in_whole_minutes'),
        ),
        migrations.AddConstraint(
            model_name='commitment',
            constraint=models.CheckConstraint(condition=models.Q(deployment.models.IsWholeMinute('starts_at'), deployment.models.IsWholeMinute('ends_at')), name='commitment_in_whole_minutes'),
        ),
        migrations.AddConstraint(
            model_name='duty',
            constraint=models.CheckConstraint(condition=models.Q(deployment.models.IsWholeMinute('starts_at'), deployment.models.IsWholeMinute('ends_at')), name='duty_in_whole_minutes'),
        ),
        migrations.AddConstraint(
            model_name='flexrequest',
            constraint=models.CheckConstraint(condition=models.Q(deployment.models.IsWholeMinute('daily_start'), deployment.models.IsWholeMinute('daily_end')), name='flex_window_in_whole_minutes'),
        ),
    ]
