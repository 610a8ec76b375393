from config.celery import app as celery_app

# Every process that writes through Django (web, Celery, commands) moves the data versions on
# that the cached pages depend on.
import config.datacache  # noqa: E402,F401  isort: skip

__all__ = ("celery_app",)
