"""Static files, served by WhiteNoise from what collectstatic wrote: hashed names (the manifest
storage), brotli and gzip copies made at collectstatic time, and for every hashed file
`Cache-Control: max-age=31536000, public, immutable`, so that a browser fetches each stylesheet,
script, font and image once a year at most (a change gives it a new name)."""

from whitenoise.middleware import WhiteNoiseMiddleware

ONE_YEAR = 365 * 24 * 60 * 60


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    # WhiteNoise's "forever" is ten years; a year is the conventional longest (HTTP/1.1, RFC 2616,
    # asked servers not to date a response's expiry more than a year ahead).
    FOREVER = ONE_YEAR
