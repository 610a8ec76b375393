"""Database helpers every app may use."""

from django.db import connection

# A load of at least this many rows is followed by ANALYZE of the tables it filled.
BULK_ROWS = 1000


def analyze(*models) -> None:
    """Gather PostgreSQL's statistics for the models' tables (and their many-to-many tables)
    right after a bulk load, so that the next query is planned for the rows that are there: a
    plan made while the statistics still say "empty" can run for many minutes. Inside a
    transaction it sees the rows that transaction wrote."""
    tables = []
    for model in models:
        tables.append(model._meta.db_table)
        tables += [
            f.remote_field.through._meta.db_table
            for f in model._meta.local_many_to_many
            if f.remote_field.through._meta.auto_created
        ]
    with connection.cursor() as cursor:
        for table in dict.fromkeys(tables):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def analyze_if_bulk(rows: int, *models) -> None:
    """analyze(*models) when `rows` is a bulk load (BULK_ROWS or more)."""
    if rows >= BULK_ROWS:
        analyze(*models)


def copy_rows(cursor, table: str, columns: list[str], rows) -> None:
    """COPY the rows (tuples in `columns` order) into `table` with psycopg 3's copy protocol:
    many rows without building a model or an INSERT for each. The caller bumps the table's
    version in config.datacache once it commits (COPY is not an execute it sees)."""
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
