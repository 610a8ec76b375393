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
    # 00:05 London time every day: start approved flexes whose first day has come, end those past
    # their last day, and remind inspectors of flexes due their 14-day review (the protocol).
    "flex-daily": {
        "task": "deployment.tasks.flex_daily",
        "schedule": crontab(hour=0, minute=5),
    },
}
