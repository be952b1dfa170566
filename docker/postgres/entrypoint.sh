#!/bin/sh
# virtflux test PostgreSQL: the container's main process (as user postgres, under tini).
#
#   LISTEN_ADDR   the one loopback address to listen on (default 127.0.0.70; never 0.0.0.0: the
#                 container shares the machine's network namespace)
#   PGPORT        TCP port (default 15432; libpq's variable, so that `docker exec ... psql` and
#                 `pg_ctl` inside find the server too)
#
# A restart loop, not `exec postgres`: tests restart the server from inside with
#   docker exec <container> pg_ctl restart -m fast -l /proc/1/fd/2
# and the container must outlive the postmaster it started with. When the postmaster exits, the
# loop waits a moment for one that someone else starts (pg_ctl restart starts its own within
# ~0.1 s) and watches that one instead; when none comes, it starts the server again itself.
# SIGTERM (docker stop) shuts down whichever postmaster runs (fast mode) and ends the container.
set -eu

log() { echo "virtflux-postgres: $*" >&2; }
die() { log "ERROR: $*"; exit 64; }

: "${LISTEN_ADDR:=127.0.0.70}"
: "${PGPORT:=15432}"
: "${TAKEOVER_WAIT_TENTHS:=30}"   # how long a vanished postmaster's successor may take to appear

case "$LISTEN_ADDR" in
  0.0.0.0|::|'*'|"") die "LISTEN_ADDR=$LISTEN_ADDR: listen on one loopback address only" ;;
  127.*) ;;
  *) die "LISTEN_ADDR=$LISTEN_ADDR is not on loopback (127.0.0.0/8)" ;;
esac
case "$PGPORT" in ''|*[!0-9]*) die "PGPORT=$PGPORT is not a port number" ;; esac

# the postmaster that runs now, whoever started it (its pid file's first line), or nothing
running_pid() {
  p=$(head -n 1 "$PGDATA/postmaster.pid" 2>/dev/null || true)
  case "$p" in ''|*[!0-9]*) return 1 ;; esac
  kill -0 "$p" 2>/dev/null || return 1
  [ "$(cat "/proc/$p/comm" 2>/dev/null)" = postgres ] || return 1
  echo "$p"
}

stopping=0
on_term() {
  stopping=1
  # SIGINT = fast shutdown; our own child too, in case it has not written its pid file yet
  if p=$(running_pid); then kill -INT "$p" 2>/dev/null || true; fi
  if [ -n "${pid:-}" ]; then kill -INT "$pid" 2>/dev/null || true; fi
}
trap on_term TERM INT

# a container that starts (or starts again) runs no postmaster yet: a pid file is a killed one's, and
# its pid may belong to this very script in the new pid namespace
rm -f "$PGDATA/postmaster.pid"
log "$(postgres --version) on $LISTEN_ADDR:$PGPORT, data $PGDATA"
while [ "$stopping" = 0 ]; do
  if p=$(running_pid); then
    # someone else's postmaster (pg_ctl restart): not our child, so poll it
    sleep 0.2
    continue
  fi
  if [ -n "${started:-}" ]; then
    # ours is gone: give an outside `pg_ctl restart` the time to start its successor
    i=0
    while [ $i -lt "$TAKEOVER_WAIT_TENTHS" ] && [ "$stopping" = 0 ] && ! running_pid >/dev/null; do
      sleep 0.1; i=$((i + 1))
    done
    if [ "$stopping" = 1 ] || running_pid >/dev/null; then continue; fi
    log "the postmaster is gone and nobody started another: starting it again"
  fi
  started=1
  # the options land in postmaster.opts, which `pg_ctl restart` reuses
  postgres -D "$PGDATA" -c listen_addresses="$LISTEN_ADDR" -c port="$PGPORT" &
  pid=$!
  # `wait` returns early when a signal arrives; then the loop asks the pid file again
  wait "$pid" || true
done
# docker stop: wait for the fast shutdown to finish (the pid file goes last)
while p=$(running_pid); do sleep 0.1; done
log "stopped"
