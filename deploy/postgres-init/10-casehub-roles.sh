#!/bin/sh
# casehub's database roles, created once when the PostgreSQL volume is first
# initialised (the postgres image runs /docker-entrypoint-initdb.d/*). Safe to
# run again: it creates what is missing and resets the passwords.
#
#   POSTGRES_USER        the bootstrap superuser: administration only, never the application
#   CASEHUB_DB_OWNER     owns the database, its schema and every table; migrations run as it
#   CASEHUB_DB_APP       the web server and the worker: owns nothing, no superuser, no role or
#                        database creation; `manage.py grant_app_role` gives it its DML after each
#                        migrate (read and insert only on the audit log and the other append-only tables)
#
# Neither may set session_replication_role (superuser only) or alter a table
# it does not own, so neither the application nor a stolen password of it can
# switch off the triggers that keep the audit log append-only.
set -eu
: "${POSTGRES_DB:?}" "${POSTGRES_USER:?}"
: "${CASEHUB_DB_OWNER:=casehub}" "${CASEHUB_DB_APP:=casehub_app}"
: "${CASEHUB_DB_OWNER_PASSWORD:?set the owner role's password}" "${CASEHUB_DB_APP_PASSWORD:?set the app role's password}"

psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v db="$POSTGRES_DB" -v owner="$CASEHUB_DB_OWNER" -v app="$CASEHUB_DB_APP" \
  -v owner_password="$CASEHUB_DB_OWNER_PASSWORD" -v app_password="$CASEHUB_DB_APP_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I', :'owner') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I', :'app') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app') \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L',
              :'owner', :'owner_password') \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT PASSWORD %L',
              :'app', :'app_password') \gexec
-- The owner owns the database and so (PostgreSQL 15: pg_database_owner) its public schema.
SELECT format('ALTER DATABASE %I OWNER TO %I', :'db', :'owner') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', :'db', :'app') \gexec
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SELECT format('GRANT USAGE ON SCHEMA public TO %I', :'app') \gexec
SQL
