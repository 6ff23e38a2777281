#!/bin/sh
# itsm-alert.sh - send one alert to itsm-bridge (POST /webhooks/generic).
#
# Usage:
#   itsm-alert.sh -k DEDUP_KEY -s SUMMARY [-S SEVERITY] [-r] [-H HOST] [-c SERVICE]
#                 [-b BRANCH] [-d DETAILS] [-l KEY=VALUE]...
#
#   -k  dedup key: the same key for the firing and the resolving call (required)
#   -s  one-line summary (required)
#   -S  critical|major|minor|warning|info (default: warning)
#   -r  resolve instead of fire (status "resolved")
#   -H  host, -c service, -b branch (e.g. muc-01), -d free-text details
#   -l  extra label, repeatable (e.g. -l queue=INVOICE01 -l team=print)
#
# Environment:
#   ITSM_BRIDGE_URL         bridge base URL (default http://127.0.0.1:3000)
#   ITSM_BRIDGE_TOKEN       bearer token, or
#   ITSM_BRIDGE_TOKEN_FILE  file holding the token (preferred on shared hosts)
#   ITSM_BRIDGE_RETRIES     retries on 429/5xx/timeouts, honouring Retry-After (default 3)
#   ITSM_BRIDGE_TIMEOUT     seconds per attempt (default 10)
#
# Exit codes: 0 accepted, 1 temporary failure (transport, 5xx, 429), 2 permanent
# failure (other 4xx, usage). The token is passed to curl on stdin, so it shows
# up neither in the process list nor in any output. POSIX sh + curl only.

set -u

usage() {
  sed -n '3,14p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# Escape a string for a JSON string literal: backslash, quote, tab, CR, and
# newlines (joined as \n); other control characters are dropped.
json_str() {
  printf '%s' "$1" \
    | tr -d '\000-\010\013\014\016-\037' \
    | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e "s/$(printf '\t')/\\\\t/g" -e "s/$(printf '\r')/\\\\r/g" \
    | awk 'BEGIN { ORS = "" } { if (NR > 1) print "\\n"; print }'
}

key='' summary='' severity='warning' status='firing' host='' service='' branch='' details='' labels=''
while getopts 'k:s:S:rH:c:b:d:l:h' opt; do
  case "$opt" in
    k) key=$OPTARG ;;
    s) summary=$OPTARG ;;
    S) severity=$OPTARG ;;
    r) status='resolved' ;;
    H) host=$OPTARG ;;
    c) service=$OPTARG ;;
    b) branch=$OPTARG ;;
    d) details=$OPTARG ;;
    l)
      case "$OPTARG" in
        ?*=*) ;;
        *) echo "itsm-alert: -l expects KEY=VALUE" >&2; exit 2 ;;
      esac
      labels="$labels${labels:+,}\"$(json_str "${OPTARG%%=*}")\":\"$(json_str "${OPTARG#*=}")\"" ;;
    *) usage ;;
  esac
done

[ -n "$key" ] && [ -n "$summary" ] || usage
case "$severity" in
  critical|major|minor|warning|info) ;;
  *) echo "itsm-alert: severity must be critical, major, minor, warning or info" >&2; exit 2 ;;
esac

token=${ITSM_BRIDGE_TOKEN:-}
if [ -n "${ITSM_BRIDGE_TOKEN_FILE:-}" ]; then
  token=$(tr -d ' \r\n' < "$ITSM_BRIDGE_TOKEN_FILE") || { echo "itsm-alert: cannot read token file" >&2; exit 2; }
fi
[ -n "$token" ] || { echo "itsm-alert: set ITSM_BRIDGE_TOKEN or ITSM_BRIDGE_TOKEN_FILE" >&2; exit 2; }
case "$token" in
  *'"'*|*'\'*) echo "itsm-alert: token contains a quote or backslash" >&2; exit 2 ;;
esac

url=${ITSM_BRIDGE_URL:-http://127.0.0.1:3000}
url=${url%/}
case "$url" in
  */webhooks/generic) ;;
  *) url="$url/webhooks/generic" ;;
esac

body="{\"dedupKey\":\"$(json_str "$key")\",\"status\":\"$status\",\"severity\":\"$severity\",\"summary\":\"$(json_str "$summary")\""
[ -n "$host" ] && body="$body,\"host\":\"$(json_str "$host")\""
[ -n "$service" ] && body="$body,\"service\":\"$(json_str "$service")\""
[ -n "$branch" ] && body="$body,\"branch\":\"$(json_str "$branch")\""
[ -n "$details" ] && body="$body,\"details\":\"$(json_str "$details")\""
[ -n "$labels" ] && body="$body,\"labels\":{$labels}"
body="$body}"

tmp=$(mktemp "${TMPDIR:-/tmp}/itsm-alert.XXXXXX") || exit 1
trap 'rm -f "$tmp" "$tmp.out"' EXIT INT TERM
printf '%s' "$body" > "$tmp"

# The Authorization header travels in a curl config read from stdin.
code=$(printf 'header = "Authorization: Bearer %s"\n' "$token" | curl --config - \
  --silent --show-error --output "$tmp.out" --write-out '%{http_code}' \
  --max-time "${ITSM_BRIDGE_TIMEOUT:-10}" --retry "${ITSM_BRIDGE_RETRIES:-3}" --retry-max-time 60 \
  --request POST --header 'Content-Type: application/json' --data-binary "@$tmp" "$url")
rc=$?

case "$code" in
  2??) printf 'itsm-bridge accepted %s alert %s (HTTP %s)\n' "$status" "$key" "$code"; exit 0 ;;
  429|5??) printf 'itsm-alert: bridge temporarily unavailable (HTTP %s): %s\n' "$code" "$(cat "$tmp.out")" >&2; exit 1 ;;
  000|'') printf 'itsm-alert: cannot reach %s (curl exit %s)\n' "$url" "$rc" >&2; exit 1 ;;
  *) printf 'itsm-alert: bridge rejected the alert (HTTP %s): %s\n' "$code" "$(cat "$tmp.out")" >&2; exit 2 ;;
esac
