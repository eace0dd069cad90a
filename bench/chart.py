#!/usr/bin/env python3
"""chart.py RAW_TSV OUT_SVG: the headline figures of one compare.sh run as an SVG chart (standard library only).

For each throughput workload and each server it draws the median server CPU per message and the median msg/s, as
ratios to smtp-sink's medians in the same run, on a log scale around 1x. It reads only raw.tsv (the lines the
table's medians come from), so the chart and table.md cannot disagree. env.txt beside raw.tsv, if present, gives
the date and load for the subtitle.
"""
import math
import os
import statistics
import sys
from xml.sax.saxutils import escape

SERVERS = [  # (key in raw.tsv, label, colour)
    ("smtpmock", "SmtpMock", "#1f5fbf"),
    ("dotnet-floor", ".NET floor (not a product)", "#9a9a9a"),
    ("smtpserver", "SmtpServer sink", "#e07b00"),
    ("aiosmtpd", "aiosmtpd", "#2e8b57"),
    ("node-smtp-server", "node smtp-server", "#8a4fb0"),
]
WORKLOADS = [  # (measurement in raw.tsv, label)
    ("persist-smtp-source", "persistent 1 KiB x 20 sessions, smtp-source"),
    ("persist-tool-off", "same, smtpmock-bench"),
    ("persist-tool-on", "same, smtpmock-bench PIPELINING"),
    ("persist-big-smtp-source", "persistent 100 KiB, smtp-source"),
    ("reconnect-smtp-source", "one connection per message, smtp-source"),
]
BASE = "smtp-sink"
LIMITS = (0.1, 30.0)
TICKS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100]


def read_raw(path):
    """{(server, measurement): {key: [floats]}} from the tab-separated raw lines."""
    values = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 4:
                continue
            server, measurement, fields = parts[0], parts[1], " ".join(parts[3:])
            slot = values.setdefault((server, measurement), {})
            for item in fields.split():
                key, sep, value = item.partition("=")
                try:
                    number = float(value)
                except ValueError:
                    continue
                if sep and math.isfinite(number):
                    slot.setdefault(key, []).append(number)
    return values


def ratio(values, server, measurement, key):
    """median(server) / median(smtp-sink), or None when either is missing or zero."""
    own = values.get((server, measurement), {}).get(key)
    base = values.get((BASE, measurement), {}).get(key)
    if not own or not base:
        return None
    b = statistics.median(base)
    o = statistics.median(own)
    return o / b if b > 0 and o > 0 else None


def subtitle(raw_path):
    env = os.path.join(os.path.dirname(raw_path), "env.txt")
    bits = {}
    if os.path.exists(env):
        with open(env, encoding="utf-8") as f:
            for line in f:
                for item in line.split():
                    k, _, v = item.partition("=")
                    bits.setdefault(k, v)
        date = ""
        with open(env, encoding="utf-8") as f:
            first = f.readline().strip()
            if first.startswith("date_utc="):
                date = first[len("date_utc="):] + " UTC, "
        return (f"{date}{bits.get('cores', '?')} cores, load at start {bits.get('loadavg_start', '?')}, "
                f"SmtpMock {bits.get('smtpmock_git', '?')}; medians of the runs in raw.tsv")
    return "medians of the runs in raw.tsv"


def draw(values, title2):
    row_h, bar_h, group_gap = 17, 12, 26
    label_w, panel_w, panel_gap, margin = 250, 330, 70, 16
    top = 112
    rows = []  # (y, workload, server) or group headers
    y = top
    present = {s for s, _ in values}  # only the servers this run measured
    for m, wlabel in WORKLOADS:
        if not any((s, m) in values for s, _, _ in SERVERS):
            continue
        rows.append(("group", y, wlabel, m))
        y += row_h + 2
        for s, slabel, colour in SERVERS:
            if s in present:
                rows.append(("bar", y, s, m))
                y += row_h
        y += group_gap - row_h
    height = y + 70
    width = margin + label_w + 2 * panel_w + panel_gap + margin

    all_ratios = [ratio(values, s, m, k) for _, _, s, m in [r for r in rows if r[0] == "bar"]
                  for k in ("server_cpu_us_per_msg", "msgs_per_s")]
    all_ratios = [r for r in all_ratios if r]
    # An outlier (a 100x slower peer) would squeeze every other bar: the scale stops at LIMITS and a bar past it
    # ends in an arrow, still labelled with its true ratio.
    lo = max(min([0.2] + all_ratios) / 1.15, LIMITS[0])
    hi = min(max([5.0] + all_ratios) * 1.15, LIMITS[1])
    lo_l, hi_l = math.log10(lo), math.log10(hi)

    out = []
    add = out.append
    add(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="DejaVu Sans, Verdana, Arial, sans-serif" font-size="12">')
    add(f'<rect width="{width}" height="{height}" fill="#ffffff"/>')
    add(f'<text x="{margin}" y="24" font-size="16" font-weight="bold">SmtpMock and peer SMTP servers, '
        'as ratios to Postfix smtp-sink (1x)</text>')
    add(f'<text x="{margin}" y="42" fill="#444">{escape(title2)}</text>')
    add(f'<text x="{margin}" y="58" fill="#444">Log scale. A bar starts at 1x (smtp-sink) and ends at the server\'s '
        'ratio. SmtpMock captures every message; the others discard.</text>')

    panels = [
        ("server CPU per message", "server_cpu_us_per_msg", "cheaper", "costlier", margin + label_w),
        ("messages per second", "msgs_per_s", "slower", "faster", margin + label_w + panel_w + panel_gap),
    ]
    for name, key, left_word, right_word, x0 in panels:
        def xpos(r, x0=x0):
            return x0 + (math.log10(r) - lo_l) / (hi_l - lo_l) * panel_w

        add(f'<text x="{x0 + panel_w / 2:.1f}" y="82" font-size="14" font-weight="bold" text-anchor="middle">'
            f'{escape(name)}</text>')
        add(f'<text x="{x0 + 2}" y="98" fill="#666" font-size="11">&#8592; {left_word}</text>')
        add(f'<text x="{x0 + panel_w - 2}" y="98" fill="#666" font-size="11" text-anchor="end">'
            f'{right_word} &#8594;</text>')
        for t in TICKS:
            if lo <= t <= hi and (t == 1 or abs(xpos(t) - xpos(1)) > 24):
                tx = xpos(t)
                strong = t == 1
                add(f'<line x1="{tx:.1f}" y1="{top - 6}" x2="{tx:.1f}" y2="{y - 10}" '
                    f'stroke="{"#333" if strong else "#e2e2e2"}" stroke-width="{1.5 if strong else 1}"/>')
                add(f'<text x="{tx:.1f}" y="{y + 6}" text-anchor="middle" fill="#555" font-size="11">{t:g}x</text>')
        x1 = xpos(1)
        for kind, ry, a, m in rows:
            if kind != "bar":
                continue
            r = ratio(values, a, m, key)
            colour = next(c for s, _, c in SERVERS if s == a)
            cy = ry + bar_h / 2
            if r is None:
                add(f'<text x="{x1 + 4:.1f}" y="{cy + 4:.1f}" fill="#888" font-size="11">n/a</text>')
                continue
            clipped = r < lo or r > hi
            xr = xpos(min(max(r, lo), hi))
            bx, bw = min(x1, xr), max(abs(xr - x1), 1.5)
            add(f'<rect x="{bx:.1f}" y="{ry}" width="{bw:.1f}" height="{bar_h}" fill="{colour}"/>')
            if clipped:  # an arrow head past the end of the scale
                tip = xr - 7 if r < lo else xr + 7
                add(f'<polygon points="{xr:.1f},{ry - 1} {tip:.1f},{cy:.1f} {xr:.1f},{ry + bar_h + 1}" '
                    f'fill="{colour}"/>')
                xr = tip
            label = f"{r:.2f}x" if r < 10 else f"{r:.0f}x"
            if clipped:  # the label goes inside the long bar, clear of the next panel
                inner = x1 - 4 if r < lo else x1 + 4
                anchor = "end" if r < lo else "start"
                add(f'<text x="{inner:.1f}" y="{cy + 4:.1f}" font-size="11" fill="#ffffff" font-weight="bold" '
                    f'text-anchor="{anchor}">{label}</text>')
            elif xr >= x1:
                add(f'<text x="{xr + 3:.1f}" y="{cy + 4:.1f}" font-size="11">{label}</text>')
            else:
                add(f'<text x="{xr - 3:.1f}" y="{cy + 4:.1f}" font-size="11" text-anchor="end">{label}</text>')
        add(f'<text x="{x0 + panel_w / 2:.1f}" y="{y + 22}" text-anchor="middle" fill="#555" font-size="11">'
            f'{escape(name)} / smtp-sink\'s</text>')

    for kind, ry, a, m in rows:
        if kind == "group":
            add(f'<text x="{margin}" y="{ry + 10}" font-weight="bold">{escape(a)}</text>')
            add(f'<line x1="{margin}" y1="{ry + 14}" x2="{width - margin}" y2="{ry + 14}" stroke="#ccc"/>')
        else:
            slabel, colour = next((l, c) for s, l, c in SERVERS if s == a)
            weight = ' font-weight="bold"' if a == "smtpmock" else ""
            add(f'<rect x="{margin + 8}" y="{ry + 2}" width="9" height="9" fill="{colour}"/>')
            add(f'<text x="{margin + 22}" y="{ry + 10}"{weight}>{escape(slabel)}</text>')
    add(f'<text x="{margin}" y="{height - 12}" fill="#666" font-size="11">Drawn by bench/chart.py from the same '
        'raw.tsv as table.md (bench/compare.sh).</text>')
    add("</svg>")
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) != 3:
        print("usage: chart.py RAW_TSV OUT_SVG", file=sys.stderr)
        return 2
    values = read_raw(argv[1])
    if not any(s == BASE for s, _ in values):
        print(f"chart.py: no {BASE} lines in {argv[1]}: the ratios need it", file=sys.stderr)
        return 1
    with open(argv[2], "w", encoding="utf-8") as f:
        f.write(draw(values, subtitle(argv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
