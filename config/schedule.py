"""Every periodic job the system runs, in one place. Celery beat reads this (settings import it).

Each entry says when and why it runs."""

from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    # 03:15 London time every night: delete expired login sessions so the session table does not
    # grow without bound (sessions expire after a shift; see SESSION_COOKIE_AGE).
    "clear-expired-sessions": {
        "task": "config.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=15),
    },
    # 03:20 London time every night: delete API tokens past their expiry (API_TOKEN_HOURS), so
    # the token table holds only tokens that still open something.
    "clear-expired-tokens": {
        "task": "config.tasks.clear_expired_tokens",
        "schedule": crontab(hour=3, minute=20),
    },
    # Every 5 minutes: queue again any email still unsent 5 minutes after it was written (its
    # task was lost: Redis emptied by a restore, or a worker killed), so none is lost.
    "resend-unsent-emails": {
        "task": "config.mail.resend_unsent_emails",
        "schedule": crontab(minute="*/5"),
    },
    # Every 10 minutes: queue again the monthly reports (and roll-ups) whose task the broker lost
    # (Redis emptied by a restore, or a worker killed): Redis holds nothing of record.
    "reports-resume": {
        "task": "reports.tasks.reports_resume",
        "schedule": crontab(minute="*/10"),
    },
    # 00:05 London time every day: start approved flexes whose first day has come, end those past
    # their last day, and remind inspectors of flexes due their 14-day review (the protocol).
    "flex-daily": {
        "task": "deployment.tasks.flex_daily",
        "schedule": crontab(hour=0, minute=5),
    },
    # 07:00 London time every day, before the day's tasking meetings: escalate to each
    # borough's Chief Inspectors every flex whose 14-day review is past its due day and still
    # not held (the protocol), once a day per flex until it is reviewed.
    "flex-reviews-overdue": {
        "task": "deployment.tasks.flex_reviews_overdue",
        "schedule": crontab(hour=7, minute=0),
    },
    # 00:10 London time every day, after flex-daily has ended the flexes past their last day: do
    # the officer transfers planned for today (or recorded as blocked, to be tried again).
    "transfers-due": {
        "task": "teams.tasks.transfers_due",
        "schedule": crontab(hour=0, minute=10),
    },
    # 02:30 London time every night: remove the personal data of victims whose crime closed
    # more than VICTIM_DATA_RETENTION_DAYS ago (kept no longer than needed; figures stay).
    "anonymise-victims": {
        "task": "victims.tasks.anonymise_victims",
        "schedule": crontab(hour=2, minute=30),
    },
    # 02:40 London time every night: delete the public's messages to their teams kept
    # CONTACT_RETENTION_DAYS (after closing, or after arriving if never closed).
    "delete-expired-messages": {
        "task": "contact.tasks.delete_expired_messages",
        "schedule": crontab(hour=2, minute=40),
    },
    # 07:30 London time every day: email each ward's sergeant the community promises that can
    # no longer reasonably be kept this week or month, in time to plan the day's tasking.
    "promises-at-risk-daily": {
        "task": "promises.tasks.promises_at_risk_daily",
        "schedule": crontab(hour=7, minute=30),
    },
    # 04:00 London time every night: recount crime and ASB around each school (Safer Schools),
    # so the ranking follows the police.uk months imported since (one statement, seconds).
    "schools-surroundings": {
        "task": "schools.tasks.refresh_surroundings",
        "schedule": crontab(hour=4, minute=0),
    },
    # 06:00 London time on the 1st of each month: every borough's SNT abstraction and flex report
    # for the month just ended, then the Met-wide roll-up for HQ (the Commissioner's monthly
    # report), and an email to each borough commander when theirs is ready.
    "monthly-snt-reports": {
        "task": "reports.tasks.reports_monthly",
        "schedule": crontab(day_of_month=1, hour=6, minute=0),
    },
}
