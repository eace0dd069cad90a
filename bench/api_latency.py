#!/usr/bin/env python3
"""api_latency.py: p50/p99/max of SmtpMock's list and search over the HTTP API, for bench/pg.sh.

One client, one keep-alive connection to 127.0.0.1, requests strictly one after another; each timed from the request
written to the whole body read. Standard library only. Prints one key=value line per query kind:
  list_newest_50      GET /api/v1/messages?limit=50
  search_recipient    GET /api/v1/messages?to=ADDRESS&limit=50, ADDRESS taken in turn from --recipients (one a line)
  search_broad        GET /api/v1/messages?to=example.com&limit=50 (every message matches), --broad times
"""
import argparse
import http.client
import sys
import time
import urllib.parse


def percentile(sorted_ms, p):
    if not sorted_ms:
        return float("nan")
    rank = max(1, -(-len(sorted_ms) * p // 100))
    return sorted_ms[min(len(sorted_ms), int(rank)) - 1]


def run(conn, name, paths, warmup):
    times, errors, items = [], 0, 0
    for i, path in enumerate(paths):
        t0 = time.perf_counter()
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        ms = (time.perf_counter() - t0) * 1000
        if response.status != 200:
            errors += 1
            if errors == 1:
                print(f"{name}: HTTP {response.status} for {path}: {body[:200]!r}", file=sys.stderr)
            continue
        if i >= warmup:
            times.append(ms)
            items += body.count(b'"sessionId"')
    times.sort()
    n = len(times)
    print(f"api {name} n={n} p50_ms={percentile(times, 50):.2f} p99_ms={percentile(times, 99):.2f} "
          f"max_ms={(times[-1] if times else float('nan')):.2f} mean_items={(items / n if n else 0):.1f} errors={errors}")
    return errors


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--searches", type=int, help="requests of search_recipient (default: --requests)")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--recipients", required=True, help="a file of recipient addresses, one a line")
    parser.add_argument("--broad", type=int, default=5, help="requests of the search every message matches (0: none)")
    args = parser.parse_args()
    if not 1 <= args.requests <= 100000:
        parser.error("--requests must be 1..100000")
    with open(args.recipients, encoding="utf-8") as f:
        recipients = [line.strip() for line in f if line.strip()]
    if not recipients:
        parser.error("--recipients holds no address")

    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=120)
    total = args.requests + args.warmup
    errors = run(conn, "list_newest_50", ["/api/v1/messages?limit=50"] * total, args.warmup)
    searches = args.requests if args.searches is None else args.searches
    warm = min(args.warmup, searches)
    paths = [f"/api/v1/messages?to={urllib.parse.quote(recipients[i % len(recipients)])}&limit=50" for i in range(searches + warm)]
    errors += run(conn, "search_recipient", paths, warm)
    if args.broad > 0:
        errors += run(conn, "search_broad", ["/api/v1/messages?to=example.com&limit=50"] * (args.broad + 1), 1)
    conn.close()
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
