#!/bin/sh
# virtflux test PostgreSQL, image build time: initialise the cluster in $PGDATA and create the
# application's role, so that every container starts from the same fresh, ready cluster.
set -eu
initdb --pgdata="$PGDATA" --username=postgres --encoding=UTF8 --locale=C.UTF-8 \
  --auth-local=peer --auth-host=reject >/dev/null
cp /etc/virtflux-postgres/postgresql.conf /etc/virtflux-postgres/pg_hba.conf "$PGDATA"/
# a private start: no TCP at all, only the socket
pg_ctl -D "$PGDATA" -w -o "-c listen_addresses=''" -l /tmp/init.log start >/dev/null
psql -v ON_ERROR_STOP=1 -q -U postgres -d postgres <<'SQL'
-- virtflux's journal tests make a database of their own per test (Postgres.newDatabase)
CREATE ROLE virtflux LOGIN CREATEDB PASSWORD 'virtflux';
SQL
pg_ctl -D "$PGDATA" -w -m fast stop >/dev/null
rm -f /tmp/init.log
echo "virtflux-postgres: cluster ready in $PGDATA ($(postgres --version))"
