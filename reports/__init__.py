"""Monthly SNT abstraction and flex reports ("SNT Abstraction Report including Authorised SNT
Flex"): figures, immutable versioned snapshots, their production by Celery, pages and API."""
