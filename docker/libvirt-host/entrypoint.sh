#!/bin/sh
# virtflux lab: entrypoint of one libvirt "KVM host" container (run under tini, see Dockerfile).
#
# All lab hosts share the machine's network namespace, so each one needs its own
#   LISTEN_ADDR          127.0.0.x, not 127.0.0.1: libvirt rejects migration_host = 127.0.0.1/localhost
#   TCP_PORT             libvirtd's TCP port (qemu+tcp://LISTEN_ADDR:TCP_PORT/system, auth none)
#   HOST_UUID            libvirt's same-host check for migration compares this UUID
#   MIGRATION_PORT_MIN/MAX   a port range disjoint from every other host's
#   HOST_NAME            optional: expected hostname (docker run --hostname); checked, never set
# Optional knobs:
#   LIBVIRT_LOG_LEVEL    1 debug .. 4 error, to stderr = docker logs (default 3)
#   KEEPALIVE_INTERVAL / KEEPALIVE_COUNT   server-side keepalive (default 5 / 5)
#   MAX_CLIENTS / MAX_WORKERS / MAX_CLIENT_REQUESTS   (default 100 / 40 / 32: a service that runs
#                        several long calls - migrations, 5 s detach waits - on one connection
#                        needs more than libvirt's 5 concurrent requests per client)
#   EXTRA_LIBVIRTD_CONF / EXTRA_QEMU_CONF  lines appended verbatim to libvirtd.conf / qemu.conf
#   TLS_PORT             also listen for TLS (qemu+tls://LISTEN_ADDR:TLS_PORT/system, auth none but
#                        a client certificate signed by the CA is required), with the PEM files
#                        cacert.pem, servercert.pem, serverkey.pem from
#   TLS_PKI_DIR          (default /etc/virtflux-lab/pki; mount them there)
#   SSH_PORT             also run sshd on LISTEN_ADDR:SSH_PORT (qemu+ssh / qemu+libssh as root, key
#                        only; the remote end is virt-ssh-helper), with fresh host keys, letting in
#   SSH_AUTHORIZED_KEYS  the public key(s), authorized_keys lines
set -eu

log() { echo "virtflux-libvirt-host: $*" >&2; }
die() { log "ERROR: $*"; exit 64; }

: "${LISTEN_ADDR:=127.0.0.21}"
: "${TCP_PORT:=16509}"
: "${MIGRATION_PORT_MIN:=49152}"
: "${MIGRATION_PORT_MAX:=49215}"
: "${LIBVIRT_LOG_LEVEL:=3}"
: "${KEEPALIVE_INTERVAL:=5}"
: "${KEEPALIVE_COUNT:=5}"
: "${MAX_CLIENTS:=100}"
: "${MAX_WORKERS:=40}"
: "${MAX_CLIENT_REQUESTS:=32}"
: "${TLS_PORT:=}"
: "${TLS_PKI_DIR:=/etc/virtflux-lab/pki}"
: "${SSH_PORT:=}"
if [ -z "${HOST_UUID:-}" ]; then
  HOST_UUID=$(cat /proc/sys/kernel/random/uuid)
  log "WARNING: HOST_UUID not set, using random $HOST_UUID (migration between hosts needs distinct UUIDs)"
fi

case "$LISTEN_ADDR" in
  127.0.0.1|localhost|0.0.0.0|::|::1|"") die "LISTEN_ADDR=$LISTEN_ADDR: use another 127.0.0.x (libvirt refuses to migrate to 127.0.0.1/localhost)" ;;
  127.*) ;;
  *) die "LISTEN_ADDR=$LISTEN_ADDR is not on loopback (127.0.0.0/8); the lab never listens elsewhere" ;;
esac
for p in "TCP_PORT=$TCP_PORT" "MIGRATION_PORT_MIN=$MIGRATION_PORT_MIN" "MIGRATION_PORT_MAX=$MIGRATION_PORT_MAX"; do
  case "${p#*=}" in ''|*[!0-9]*) die "$p is not a port number" ;; esac
done
[ "$MIGRATION_PORT_MIN" -le "$MIGRATION_PORT_MAX" ] || die "MIGRATION_PORT_MIN > MIGRATION_PORT_MAX"

# off unless TLS_PORT is set: then libvirtd also listens for TLS with the mounted certificates
LISTEN_TLS=0
TLS_CONF=
if [ -n "$TLS_PORT" ]; then
  case "$TLS_PORT" in *[!0-9]*) die "TLS_PORT=$TLS_PORT is not a port number" ;; esac
  for f in cacert.pem servercert.pem serverkey.pem; do
    [ -r "$TLS_PKI_DIR/$f" ] || die "TLS_PORT is set but $TLS_PKI_DIR/$f is missing (mount cacert.pem, servercert.pem, serverkey.pem)"
  done
  LISTEN_TLS=1
  TLS_CONF="tls_port = \"$TLS_PORT\"
auth_tls = \"none\"
ca_file = \"$TLS_PKI_DIR/cacert.pem\"
cert_file = \"$TLS_PKI_DIR/servercert.pem\"
key_file = \"$TLS_PKI_DIR/serverkey.pem\""
fi

cat > /etc/libvirt/libvirtd.conf <<EOC
# written by $0 at container start
listen_tls = $LISTEN_TLS
listen_tcp = 1
listen_addr = "$LISTEN_ADDR"
tcp_port = "$TCP_PORT"
auth_tcp = "none"
auth_unix_ro = "none"
auth_unix_rw = "none"
unix_sock_group = "root"
unix_sock_rw_perms = "0770"
host_uuid = "$HOST_UUID"
keepalive_interval = $KEEPALIVE_INTERVAL
keepalive_count = $KEEPALIVE_COUNT
max_clients = $MAX_CLIENTS
max_anonymous_clients = $MAX_CLIENTS
max_workers = $MAX_WORKERS
max_client_requests = $MAX_CLIENT_REQUESTS
log_outputs = "$LIBVIRT_LOG_LEVEL:stderr"
${TLS_CONF}
${EXTRA_LIBVIRTD_CONF:-}
EOC

cat > /etc/libvirt/qemu.conf <<EOC
# written by $0 at container start
# root + no relabelling/ownership games: the datastore is shared by every lab host
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
# no cgroups: every lab host sees the same cgroup tree
cgroup_controllers = [ ]
# QEMU's stdout/stderr straight to /var/log/libvirt/qemu/NAME.log: no virtlogd needed
stdio_handler = "file"
# migration stays on this host's loopback address, in this host's own port range
migration_host = "$LISTEN_ADDR"
migration_address = "$LISTEN_ADDR"
migration_port_min = $MIGRATION_PORT_MIN
migration_port_max = $MIGRATION_PORT_MAX
${EXTRA_QEMU_CONF:-}
EOC

# no DNS from inside: /etc/resolv.conf is the container's own copy of the machine's
: > /etc/resolv.conf 2>/dev/null || true

h=$(hostname)
# never call `hostname NAME` here: with --network host but no private UTS namespace it would
# rename the real machine. docker run --hostname gives each container its own name.
if [ -n "${HOST_NAME:-}" ] && [ "$h" != "$HOST_NAME" ]; then
  log "WARNING: hostname is '$h', expected '$HOST_NAME' (docker run --hostname $HOST_NAME)"
fi
if ! grep -q "[[:space:]]$h\([[:space:]]\|\$\)" /etc/hosts 2>/dev/null; then
  echo "$LISTEN_ADDR $h" >> /etc/hosts 2>/dev/null || true
fi

# a restarted container keeps its file system: drop stale runtime state of a previous libvirtd
rm -f /run/libvirtd.pid

if [ "${1:-}" = --warm-caps ]; then
  # image build time: probe QEMU once, with this very configuration, so that each container starts
  # with libvirt's QEMU capabilities cache filled (saves ~1.3 s on a host's first API call; libvirt
  # probes again by itself when the cache does not fit, e.g. with /dev/kvm or on another kernel)
  /usr/sbin/libvirtd --daemon --pid-file /run/libvirtd.pid
  i=0
  until virsh -q -c qemu:///system domcapabilities --virttype qemu >/dev/null 2>&1; do
    i=$((i + 1)); [ $i -lt 300 ] || die "libvirtd did not answer while warming the capabilities cache"
    sleep 0.1
  done
  virsh -q -c qemu:///system capabilities >/dev/null   # probes every emulator (x86_64 and i386)
  kill "$(cat /run/libvirtd.pid)"
  i=0; while [ -e /run/libvirtd.pid ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  rm -rf /run/libvirt /run/libvirtd.pid /var/log/libvirt/qemu/* /etc/libvirt/libvirtd.conf.* 2>/dev/null || true
  log "QEMU capabilities cache: $(ls /var/cache/libvirt/qemu/capabilities | wc -l) file(s)"
  exit 0
fi

if [ -n "$SSH_PORT" ]; then
  case "$SSH_PORT" in *[!0-9]*) die "SSH_PORT=$SSH_PORT is not a port number" ;; esac
  [ -n "${SSH_AUTHORIZED_KEYS:-}" ] || die "SSH_PORT is set but SSH_AUTHORIZED_KEYS is empty"
  ssh-keygen -A >/dev/null   # this container's own host keys (none are in the image)
  mkdir -p -m 0700 /root/.ssh /run/sshd
  printf '%s\n' "$SSH_AUTHORIZED_KEYS" > /root/.ssh/authorized_keys
  chmod 0600 /root/.ssh/authorized_keys
  cat > /etc/ssh/sshd_config <<EOC
# written by $0 at container start
ListenAddress $LISTEN_ADDR:$SSH_PORT
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
X11Forwarding no
AllowTcpForwarding no
Subsystem sftp internal-sftp
EOC
  /usr/sbin/sshd -t || die "sshd configuration rejected"
  /usr/sbin/sshd -D -e &   # logs to stderr = docker logs; tini reaps it
  log "sshd on $LISTEN_ADDR:$SSH_PORT (qemu+ssh://root@$LISTEN_ADDR:$SSH_PORT/system)"
fi

log "hostname=$h uri=qemu+tcp://$LISTEN_ADDR:$TCP_PORT/system uuid=$HOST_UUID migration=$LISTEN_ADDR:$MIGRATION_PORT_MIN-$MIGRATION_PORT_MAX kvm=$([ -c /dev/kvm ] && echo yes || echo no)${TLS_PORT:+ tls=qemu+tls://$LISTEN_ADDR:$TLS_PORT/system}"
exec /usr/sbin/libvirtd --listen "$@"
