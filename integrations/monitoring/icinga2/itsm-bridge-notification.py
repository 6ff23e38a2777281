#!/usr/bin/env python3
"""Icinga 2 notification script for itsm-bridge.

Called by the NotificationCommands in itsm-bridge.conf. Builds the JSON that
POST /webhooks/icinga expects and sends it with a bearer token.

Exit codes: 0 = accepted (2xx); 1 = temporary failure (transport error, 5xx,
429 after retries); 2 = permanent failure (other 4xx, bad usage).

Icinga never retries a failed notification (Icinga/icinga-notifications#499),
so this script retries transient failures itself, with exponential backoff and
honouring Retry-After (capped), within the NotificationCommand timeout (1m).

Python 3.6+ standard library only. The token is read from the environment
variable ITSM_BRIDGE_TOKEN or from --token-file and is never printed.
"""

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

VERSION = "1.0.0"
NOTIFICATION_TYPES = (
    "PROBLEM", "RECOVERY", "ACKNOWLEDGEMENT", "CUSTOM", "FLAPPINGSTART",
    "FLAPPINGEND", "DOWNTIMESTART", "DOWNTIMEEND", "DOWNTIMECANCELLED",
)
HOST_STATES = ("UP", "DOWN", "UNREACHABLE")
SERVICE_STATES = ("OK", "WARNING", "CRITICAL", "UNKNOWN")
VAR_ENV_PREFIX = "ITSM_BRIDGE_VAR_"

EXIT_OK, EXIT_TEMPORARY, EXIT_PERMANENT = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or configuration: retrying will not help."""


def env(name, default=None):
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def parse_args(argv):
    p = argparse.ArgumentParser(description="Send an Icinga 2 notification to itsm-bridge.")
    p.add_argument("--url", default=env("ITSM_BRIDGE_URL"),
                   help="bridge base URL, e.g. http://itsm-bridge.example:3000 (env ITSM_BRIDGE_URL)")
    p.add_argument("--token-file", default=env("ITSM_BRIDGE_TOKEN_FILE"),
                   help="file holding the bearer token (else env ITSM_BRIDGE_TOKEN)")
    p.add_argument("--type", dest="notification_type", required=True, help="$notification.type$")
    p.add_argument("--host", required=True, help="$host.name$")
    p.add_argument("--host-display-name", help="$host.display_name$")
    p.add_argument("--host-state", required=True, help="$host.state$")
    p.add_argument("--host-address", help="$address$")
    p.add_argument("--service", help="$service.name$ (omit for host notifications)")
    p.add_argument("--service-display-name", help="$service.display_name$")
    p.add_argument("--service-state", help="$service.state$")
    p.add_argument("--output", default="", help="$host.output$ or $service.output$")
    p.add_argument("--long-output", help="long plugin output (default: output lines after the first)")
    p.add_argument("--author", help="$notification.author$")
    p.add_argument("--comment", help="$notification.comment$")
    p.add_argument("--timestamp", help="$icinga.timet$ (default: now)")
    p.add_argument("--last-state-change", help="$host.last_state_change$ / $service.last_state_change$")
    p.add_argument("--var", action="append", default=[], metavar="KEY=VALUE",
                   help="extra string var, e.g. branch=$host.vars.branch$ (repeatable; also env "
                        + VAR_ENV_PREFIX + "<key>)")
    p.add_argument("--icingaweb-url", default=env("ITSM_BRIDGE_ICINGAWEB_URL"),
                   help="Icinga Web 2 base URL, e.g. https://icinga.example/icingaweb2")
    p.add_argument("--icingaweb-module", choices=("icingadb", "monitoring"),
                   default=env("ITSM_BRIDGE_ICINGAWEB_MODULE", "icingadb"),
                   help="Icinga Web 2 module that shows the objects (default icingadb)")
    p.add_argument("--timeout", type=float, default=float(env("ITSM_BRIDGE_TIMEOUT", "10")),
                   help="seconds per HTTP attempt (default 10)")
    p.add_argument("--retries", type=int, default=int(env("ITSM_BRIDGE_RETRIES", "3")),
                   help="retries after a transient failure (default 3)")
    p.add_argument("--retry-delay", type=float, default=float(env("ITSM_BRIDGE_RETRY_DELAY", "2")),
                   help="first backoff in seconds, doubled per retry (default 2)")
    p.add_argument("--max-retry-after", type=float, default=float(env("ITSM_BRIDGE_MAX_RETRY_AFTER", "20")),
                   help="cap for a server's Retry-After in seconds (default 20)")
    p.add_argument("--version", action="version", version="%(prog)s " + VERSION)
    return p.parse_args(argv)


def read_token(token_file):
    if token_file:
        try:
            with open(token_file, encoding="utf-8") as fh:
                token = fh.read().strip()
        except OSError as exc:
            raise UsageError("cannot read token file %s: %s" % (token_file, exc.strerror))
    else:
        token = env("ITSM_BRIDGE_TOKEN", "").strip()
    if not token:
        raise UsageError("no token: set ITSM_BRIDGE_TOKEN or pass --token-file")
    return token


def to_unix_seconds(value, name):
    """Icinga renders timestamps as floats ("1718000000.123456"); the contract wants integers."""
    try:
        return int(float(value))
    except (TypeError, ValueError):
        raise UsageError("%s must be a unix timestamp, got %r" % (name, value))


def collect_vars(pairs):
    result = {}
    for key, value in sorted(os.environ.items()):
        if key.startswith(VAR_ENV_PREFIX) and len(key) > len(VAR_ENV_PREFIX):
            result[key[len(VAR_ENV_PREFIX):].lower()] = value
    for pair in pairs:
        if "=" not in pair:
            raise UsageError("--var expects KEY=VALUE, got %r" % pair)
        key, value = pair.split("=", 1)
        result[key.strip()] = value
    # An unset custom var resolves to an empty string in Icinga; leave it out.
    return {k: v for k, v in result.items() if k and v != ""}


def icingaweb_link(base, module, host, service):
    base = base.rstrip("/")
    if module == "monitoring":
        if service:
            return "%s/monitoring/service/show?%s" % (base, urllib.parse.urlencode({"host": host, "service": service}))
        return "%s/monitoring/host/show?%s" % (base, urllib.parse.urlencode({"host": host}))
    if service:
        return "%s/icingadb/service?%s" % (base, urllib.parse.urlencode({"name": service, "host.name": host}))
    return "%s/icingadb/host?%s" % (base, urllib.parse.urlencode({"name": host}))


def split_output(output, long_output):
    """Icinga 2 keeps all plugin output lines in one attribute; like Nagios, the
    first line is the output and the remaining lines are the long output."""
    if long_output:
        return output.strip(), long_output.strip()
    first, _, rest = output.strip().partition("\n")
    return first.strip(), rest.strip()


def build_payload(args):
    ntype = args.notification_type.strip().upper()
    if ntype not in NOTIFICATION_TYPES:
        raise UsageError("unknown notification type %r" % args.notification_type)
    host_state = args.host_state.strip().upper()
    if host_state not in HOST_STATES:
        raise UsageError("unknown host state %r" % args.host_state)
    service = (args.service or "").strip()

    payload = {"notificationType": ntype, "host": args.host}
    optional = {"hostDisplayName": args.host_display_name, "hostAddress": args.host_address}
    payload.update({k: v for k, v in optional.items() if v})
    payload["hostState"] = host_state
    if service:
        state = (args.service_state or "").strip().upper()
        if state not in SERVICE_STATES:
            raise UsageError("unknown service state %r" % args.service_state)
        payload["service"] = service
        if args.service_display_name:
            payload["serviceDisplayName"] = args.service_display_name
        payload["serviceState"] = state
    output, long_output = split_output(args.output or "", args.long_output)
    payload["output"] = output
    for key, value in (("longOutput", long_output), ("author", args.author), ("comment", args.comment)):
        if value:
            payload[key] = value
    payload["timestamp"] = to_unix_seconds(args.timestamp, "--timestamp") if args.timestamp else int(time.time())
    if args.last_state_change:
        # Icinga 2.13 passes 0 when the very first check result is already a problem
        # (Icinga/icinga2#10217); the state began at the latest with this notification.
        payload["lastStateChange"] = to_unix_seconds(args.last_state_change, "--last-state-change") \
            or payload["timestamp"]
    variables = collect_vars(args.var)
    if variables:
        payload["vars"] = variables
    if args.icingaweb_url:
        payload["url"] = icingaweb_link(args.icingaweb_url, args.icingaweb_module, args.host, service)
    return payload


def webhook_url(base):
    if not base:
        raise UsageError("no bridge URL: pass --url or set ITSM_BRIDGE_URL")
    base = base.rstrip("/")
    return base if base.endswith("/webhooks/icinga") else base + "/webhooks/icinga"


def retry_after_seconds(header, cap):
    if not header:
        return None
    try:
        return max(0.0, min(float(header), cap))
    except ValueError:
        return None  # HTTP-date form: fall back to our own backoff


def post(url, token, body, timeout):
    """One attempt. Returns (status, headers, text); status None means a transport error."""
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json",
        "Authorization": "Bearer " + token,
        "User-Agent": "itsm-bridge-icinga2/" + VERSION,
    })
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            return resp.status, resp.headers, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, None, str(reason)


def deliver(url, token, payload, args):
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    delay = args.retry_delay
    for attempt in range(args.retries + 1):
        status, headers, text = post(url, token, body, args.timeout)
        if status is not None and 200 <= status < 300:
            print("itsm-bridge accepted %s notification for %s (HTTP %d)" % (
                payload["notificationType"], object_name(payload), status))
            return EXIT_OK
        transient = status is None or status >= 500 or status == 429
        if not transient:
            sys.stderr.write("itsm-bridge rejected the notification (HTTP %d): %s\n" % (status, text.strip()))
            return EXIT_PERMANENT
        what = "transport error: %s" % text if status is None else "HTTP %d" % status
        if attempt == args.retries:
            sys.stderr.write("itsm-bridge unreachable after %d attempts (%s)\n" % (attempt + 1, what))
            return EXIT_TEMPORARY
        wait = retry_after_seconds(headers.get("Retry-After") if headers else None, args.max_retry_after)
        wait = delay if wait is None else wait
        sys.stderr.write("itsm-bridge attempt %d failed (%s), retrying in %.1fs\n" % (attempt + 1, what, wait))
        time.sleep(wait)
        delay *= 2
    return EXIT_TEMPORARY


def object_name(payload):
    return payload["host"] + ("!" + payload["service"] if "service" in payload else "")


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        url = webhook_url(args.url)
        payload = build_payload(args)
        token = read_token(args.token_file)
    except UsageError as exc:
        sys.stderr.write("itsm-bridge-notification: %s\n" % exc)
        return EXIT_PERMANENT
    return deliver(url, token, payload, args)


if __name__ == "__main__":
    sys.exit(main())
