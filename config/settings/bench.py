"""`make bench`: the settings `make run` serves with (production's, over plain http), plus the
two things only the bench may have: the bare view it measures every page against, and public
rate limits high enough that wrk measures the pages rather than the limiter (both set by
bench/pages.py). Production itself refuses BENCH_BARE_VIEW."""

from config.settings.prod import *  # noqa: F403

BENCH_BARE_VIEW = True
