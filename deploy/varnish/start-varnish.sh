#!/usr/bin/env bash
# Start varnishd in the foreground with deploy/varnish/newsroom.vcl in front of the application.
#   NEWSROOM_BACKEND  host:port of the application (gunicorn), default 127.0.0.1:8000
#   VARNISH_LISTEN    address:port varnishd listens on, default 127.0.0.1:6081
#   VARNISH_WORKDIR   varnishd's working directory (-n), default a fresh temporary one
#   VARNISH_MEMORY    cache size, default 256m
# Extra arguments go to varnishd. The application purges it with NEWSROOM_EDGE_PURGE_URLS=http://<VARNISH_LISTEN>/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
backend="${NEWSROOM_BACKEND:-127.0.0.1:8000}"
host="${backend%:*}"
port="${backend##*:}"
workdir="${VARNISH_WORKDIR:-$(mktemp -d)}"
vcl="$workdir/newsroom.vcl"
sed -e "s/@BACKEND_HOST@/$host/" -e "s/@BACKEND_PORT@/$port/" "$here/newsroom.vcl" > "$vcl"
# Started as root, varnishd reads the VCL as its own unprivileged user.
chmod 755 "$workdir"
chmod 644 "$vcl"
exec varnishd -F -a "${VARNISH_LISTEN:-127.0.0.1:6081}" -f "$vcl" -n "$workdir" -s "malloc,${VARNISH_MEMORY:-256m}" "$@"
