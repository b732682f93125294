"""Putting a PostgreSQL test database back as it was, table by table.

``CREATE DATABASE ... TEMPLATE`` for every test costs half a second (two
checkpoints), more than most tests themselves. So the template keeps, in the
schema ``phpnet_pristine``, a copy of every table and of every sequence's
position, and a statement trigger on every table notes which tables a test
wrote to (whoever wrote: the test, a gunicorn it started, raw SQL). A reset
puts back only those tables. A test that changed the schema (an event trigger
notes any DDL) gets a fresh copy of the template instead."""

from sqlalchemy import Connection, text

_SETUP = """
CREATE SCHEMA phpnet_pristine;
CREATE UNLOGGED TABLE phpnet_pristine.changed (name text PRIMARY KEY);
CREATE TABLE phpnet_pristine.sequences AS
    SELECT format('%I.%I', schemaname, sequencename) AS name, start_value, last_value
    FROM pg_sequences WHERE schemaname = 'public';

CREATE FUNCTION phpnet_pristine.note_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO phpnet_pristine.changed VALUES (TG_TABLE_NAME) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

-- '' stands for "the schema changed".
CREATE FUNCTION phpnet_pristine.note_schema_change() RETURNS event_trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO phpnet_pristine.changed VALUES ('') ON CONFLICT DO NOTHING;
END $$;

-- Puts back what changed; false (nothing done) after a schema change.
CREATE FUNCTION phpnet_pristine.restore() RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    table_name text;
BEGIN
    IF EXISTS (SELECT 1 FROM phpnet_pristine.changed WHERE name = '') THEN
        RETURN false;
    END IF;
    -- Connections the test left open could hold locks on the tables.
    PERFORM pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid();
    -- As a replica: no foreign key checks and no triggers (the audit log's
    -- refusal of DELETE included), so tables are emptied in any order.
    SET LOCAL session_replication_role = replica;
    FOR table_name IN SELECT name FROM phpnet_pristine.changed LOOP
        EXECUTE format('DELETE FROM public.%I', table_name);
        EXECUTE format(
            'INSERT INTO public.%I OVERRIDING SYSTEM VALUE SELECT * FROM phpnet_pristine.%I',
            table_name, table_name);
    END LOOP;
    PERFORM setval(name, coalesce(last_value, start_value), last_value IS NOT NULL)
        FROM phpnet_pristine.sequences;
    DELETE FROM phpnet_pristine.changed;
    RETURN true;
END $$;

-- Makes what is there now the state restore() puts back.
CREATE FUNCTION phpnet_pristine.keep() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    table_name text;
BEGIN
    IF EXISTS (SELECT 1 FROM phpnet_pristine.changed WHERE name = '') THEN
        RAISE EXCEPTION 'the schema changed since the template was copied';
    END IF;
    FOR table_name IN SELECT name FROM phpnet_pristine.changed LOOP
        EXECUTE format('DELETE FROM phpnet_pristine.%I', table_name);
        EXECUTE format(
            'INSERT INTO phpnet_pristine.%I SELECT * FROM public.%I', table_name, table_name);
    END LOOP;
    UPDATE phpnet_pristine.sequences kept SET last_value = now.last_value
        FROM pg_sequences now
        WHERE kept.name = format('%I.%I', now.schemaname, now.sequencename);
    DELETE FROM phpnet_pristine.changed;
END $$;

DO $$
DECLARE
    table_name text;
BEGIN
    FOR table_name IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
        EXECUTE format(
            'CREATE TABLE phpnet_pristine.%I AS TABLE public.%I', table_name, table_name);
        EXECUTE format(
            'CREATE TRIGGER phpnet_note_change '
            'AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.%I '
            'FOR EACH STATEMENT EXECUTE FUNCTION phpnet_pristine.note_change()', table_name);
    END LOOP;
END $$;

-- Last, so that setting up is not noted as a schema change.
CREATE EVENT TRIGGER phpnet_note_schema_change ON ddl_command_end
    EXECUTE FUNCTION phpnet_pristine.note_schema_change();
"""


def keep_pristine_copy(conn: Connection) -> None:
    """Set up the copies, the triggers and ``restore()`` in the template."""
    conn.execute(text(_SETUP))


def keep(conn: Connection) -> None:
    """Make the database as it is now what :func:`restore` puts back."""
    conn.execute(text("SELECT phpnet_pristine.keep()"))


def restore(conn: Connection) -> bool:
    """Put back the tables written to since the last restore, and every
    sequence; False (nothing done) when the schema changed and only a new
    copy of the template will do."""
    return bool(conn.execute(text("SELECT phpnet_pristine.restore()")).scalar_one())
