#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The evq authors
"""Plot devtools/bench intr results: CPU of l3fwd-power's forwarding lcore
and Rx-interrupt wake-ups per second versus offered load, evq in each
moderation mode (armed, delay, timestamp: the rows' "evq_mode"; rows
without one are armed) beside the peer (grouped bars, one group per load;
a missing value is marked n/a), and the lost packets per mode below.

usage: plot_intr.py RESULTS.json OUT.png
RESULTS.json holds the JSON lines devtools/bench.d/intr printed.
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def load_rows(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                rows.append(json.loads(line))
    return rows


def load_label(pps):
    if pps >= 1000000 and pps % 1000000 == 0:
        return "%dM" % (pps // 1000000)
    if pps >= 1000 and pps % 1000 == 0:
        return "%dk" % (pps // 1000)
    return str(pps)


COLORS = ["#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#ff7f0e"]


def bars(ax, loads, values, title, unit):
    n = len(values["series"])
    width = 0.8 / n
    for k, (who, label) in enumerate(values["series"]):
        color = COLORS[-1] if who == "peer" else COLORS[k % (len(COLORS) - 1)]
        xs = [i + (k - (n - 1) / 2) * width for i in range(len(loads))]
        ys = [values[who].get(l) for l in loads]
        drawn = ax.bar(xs, [y if y is not None else 0 for y in ys], width,
                       label=label, color=color)
        for x, y, rect in zip(xs, ys, drawn):
            text = "n/a" if y is None else ("%.0f" % y if y >= 10 else "%.1f" % y)
            ax.annotate(text, (x, rect.get_height()), ha="center", va="bottom",
                        fontsize=7, xytext=(0, 2), textcoords="offset points")
    ax.set_xticks(range(len(loads)))
    ax.set_xticklabels([load_label(l) for l in loads])
    ax.set_xlabel("offered load (packets/s, 64 B)")
    ax.set_ylabel(unit)
    ax.set_title(title)
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    rows = [r for r in load_rows(sys.argv[1]) if r.get("bench") == "intr"]
    if not rows:
        print("plot_intr: no intr rows in %s" % sys.argv[1], file=sys.stderr)
        return 1
    loads = sorted({r["load_pps"] for r in rows})
    peer_name = rows[0].get("peer_name", "peer")
    modes = []
    for r in rows:
        if r.get("evq_mode", "armed") not in modes:
            modes.append(r.get("evq_mode", "armed"))
    series = [("evq:" + m, "evq (%s)" % m if len(modes) > 1 else "evq") for m in modes]
    metrics = {}
    for r in rows:
        m = metrics.setdefault(r["metric"], dict({"peer": {},
                                                  "series": series + [("peer", peer_name)]},
                                                 **{who: {} for who, _ in series}))
        m["evq:" + r.get("evq_mode", "armed")][r["load_pps"]] = r.get("evq")
        m["peer"][r["load_pps"]] = r.get("peer")

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.6))
    if "lcore_cpu_pct" in metrics:
        bars(axes[0], loads, metrics["lcore_cpu_pct"],
             "CPU of the forwarding lcore", "% of one core")
    if "wakeups_per_s" in metrics:
        bars(axes[1], loads, metrics["wakeups_per_s"],
             "Rx-interrupt wake-ups", "wake-ups per second")
    lost = metrics.get("lost_pkts")
    note = ""
    if lost:
        def fmt(v):
            return "n/a" if v is None else "%d" % v

        parts = []
        for l in loads:
            vals = [fmt(lost[who].get(l)) for who, _ in series] + [fmt(lost["peer"].get(l))]
            parts.append("%s: %s" % (load_label(l), "/".join(vals)))
        note = "lost packets (%s/%s): %s" % ("/".join(label for _, label in series),
                                              peer_name, ", ".join(parts))
    fig.suptitle("l3fwd-power --interrupt-only: net_evq vs %s" % peer_name)
    if note:
        fig.text(0.5, 0.01, note, ha="center", fontsize=8)
    fig.tight_layout(rect=(0, 0.04, 1, 0.95))
    fig.savefig(sys.argv[2], dpi=110)
    return 0


if __name__ == "__main__":
    sys.exit(main())
