"""Development: the project-local PostgreSQL and Redis that `make run` provisions."""

import os

os.environ.setdefault("SECRET_KEY", "dev-only-not-secret")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5544/neighbourhood_ops")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6390/0")

from config.settings.base import *  # noqa: E402,F403
