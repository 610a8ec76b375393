import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()  # <app>.tasks of every installed app
app.autodiscover_tasks(["config"])  # config.tasks
app.autodiscover_tasks(["config"], related_name="mail")  # config.mail
