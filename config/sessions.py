"""Login sessions: kept on the server (PostgreSQL, read through Redis), written when they change
rather than on every request.

Sessions end after SESSION_COOKIE_AGE (8 hours) without a request. Saving the session on every
request kept that true but cost every page an UPDATE and a COMMIT. Instead, the session records
when it was last saved, and a request pushes its expiry back only when that was at least
SESSION_REFRESH_SECONDS ago. So a session ends between SESSION_COOKIE_AGE minus the refresh
interval and SESSION_COOKIE_AGE after its last request: never later.

A session can still be revoked: signing out, or `SessionStore(key).delete()`, removes it from
the database and Redis; a deactivated user or a changed password is refused on the next request
by Django's authentication, whatever the session holds."""

import time

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbStore

# When the session was last saved (seconds since the epoch): its expiry counts from then.
SAVED_AT = "_saved_at"


class SessionStore(CachedDbStore):
    def load(self):
        data = super().load()
        if not data:
            return data
        saved_at = data.get(SAVED_AT)  # None: saved before this store was in use
        now = time.time()
        if saved_at is not None and now - saved_at >= settings.SESSION_COOKIE_AGE:
            # Over, even if a store's own expiry has not caught up (e.g. a copy in Redis).
            self._session_key = None
            return {}
        if saved_at is None or now - saved_at >= settings.SESSION_REFRESH_SECONDS:
            self.modified = True  # saved at the end of this request, with a new expiry
        return data

    def save(self, must_create=False):
        data = self._get_session(no_load=must_create)
        if data:
            data[SAVED_AT] = int(time.time())
        super().save(must_create=must_create)
