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


def transaction_lock(name: str) -> None:
    """Wait until no other transaction holds the lock `name`, then hold it until this transaction
    ends: one writer of a kind at a time (two uploads of one file read what is there, then each
    adds the same rows)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])


def commit_without_waiting() -> bool:
    """Let the transaction being opened commit without waiting for its WAL to reach the disk
    (SET LOCAL synchronous_commit = off): only in a transaction of its own (an enclosing one's
    other writes must stay durable), and only for writes that are done again when lost, since a
    crash of the database server can lose the last moments' commits (never a half of one, and a
    later durable commit flushes them with its own). Returns whether it was set."""
    if len(connection.atomic_blocks) != 1:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
    return True


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


def next_ids(cursor, model, n: int) -> list[int]:
    """`n` ids for `model`'s rows, taken from its primary key's sequence at once (as an INSERT
    would take them, so rows written by COPY with these ids never clash with later INSERTs)."""
    if n <= 0:
        return []
    table, pk = model._meta.db_table, model._meta.pk.column
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [table, pk, n],
    )
    return [row[0] for row in cursor.fetchall()]


# Fields whose Python value psycopg writes as bulk_create would (PostgreSQL's backend prepares
# them unchanged): read straight from the instance, skipping get_db_prep_save's calls per row.
_PLAIN = {
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "DateField",
    "DateTimeField", "DecimalField", "ForeignKey", "IntegerField", "OneToOneField",
    "PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField", "TextField",
}  # fmt: skip


def _row_maker(model, cursor):
    """A function giving an instance's values for COPY, in concrete-field order, with the
    values bulk_create would write (auto_now/auto_now_add set by the field's pre_save)."""
    fields = model._meta.concrete_fields
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", 0)]
    prepared = [(at, f) for at, f in enumerate(fields) if f.get_internal_type() not in _PLAIN]

    def row(obj):
        for f in stamped:
            f.pre_save(obj, True)
        values = [getattr(obj, f.attname) for f in fields]
        for at, f in prepared:
            values[at] = f.get_db_prep_save(values[at], cursor.db)
        return values

    return row


def copy_instances(cursor, model, objs: list) -> None:
    """Write unsaved `objs` of `model` with COPY: each is given an id from the sequence first
    (so that rows pointing at it can be written next), and every concrete field is written as
    bulk_create would write it. The caller bumps the table's version in config.datacache once
    it commits."""
    for obj, pk in zip(objs, next_ids(cursor, model, len(objs)), strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, cursor.db.alias
    quote = connection.ops.quote_name
    columns = [quote(f.column) for f in model._meta.concrete_fields]
    copy_rows(cursor, quote(model._meta.db_table), columns, map(_row_maker(model, cursor), objs))


def copy_new(cursor, model, changes: list[dict]) -> list[int]:
    """COPY one row of `model` per dict of `changes` ({attname: value}), every other field
    holding its default (as `model()` has it): no model instance per row, for tables of many
    fields written by the thousand. Returns the rows' ids, in order, from the sequence."""
    ids = next_ids(cursor, model, len(changes))
    fields = model._meta.concrete_fields
    template = _row_maker(model, cursor)(model())
    where = {f.attname: at for at, f in enumerate(fields)}

    def row(pk, change):
        values = list(template)
        values[where[model._meta.pk.attname]] = pk
        for name, value in change.items():
            values[where[name]] = value
        return values

    quote = connection.ops.quote_name
    columns = [quote(f.column) for f in fields]
    rows = map(row, ids, changes)
    copy_rows(cursor, quote(model._meta.db_table), columns, rows)
    return ids
