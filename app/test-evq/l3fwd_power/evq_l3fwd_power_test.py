#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The evq authors
"""
DPDK's l3fwd-power example in interrupt-only mode on net_evq (suite
'l3fwd_power'): its lcores sleep when traffic stops, wake up when it
resumes, and no packet is lost across sleep and wake-up.

Rig (three processes, all with --no-huge):

    evq-rategen --vdev net_evq0,socket=A      bursts of UDP with pauses
        |  evq-sim --socket A --socket B --wire pair
    l3fwd-power --vdev net_evq0,socket=B -- -p 0x1 --interrupt-only

l3fwd-power (without --parse-ptype: the PMD reports packet types) routes
1.1.1.0/24 to its port 0, so every packet goes back out of the port it came
in on and the generator counts it: sent == received back means no loss.
Wake-ups are counted twice: the "is waked up from rx interrupt on port 0
queue Q" lines l3fwd-power logs, and the PMD's per-queue xstats read
through the EAL telemetry socket (rx_qQ_intr_arms, rx_qQ_intr_wakeups,
rx_qQ_intr_spurious_wakeups, hw_msix_signals).

usage: evq_l3fwd_power_test.py {one_queue|two_queues|one_queue_fast|
                                two_queues_intx|two_queues_vector0|
                                one_queue_timestamp|two_queues_lcore_layout|
                                rategen_wire}
two_queues_intx and two_queues_vector0 run the adapter with fewer MSI-X
vectors (evq-sim --vectors): none at all (everything on INTx) and vector 0
only (the Rx queues on INTx); the PMD's INTx handler finds the queues to
wake in the summary line, so each lcore is woken for its own queue only.
one_queue_timestamp uses the adapter's time-stamp moderation rule
(intr_mode=timestamp). rategen_wire runs devtools/bench intr's evq rig
instead: no evq-rategen, evq-sim --wire rategen generates into l3fwd-power's
port and counts the echoes; the counts must be exact.
Environment (meson sets them): EVQ_SIM, EVQ_PMD (absolute path of
librte_net_evq.so), EVQ_RATEGEN, EVQ_L3FWD_POWER (default
build-deps/l3fwd-power/build/l3fwd-power of the source tree, EVQ_ROOT);
EVQ_TEST_VERBOSE=1 echoes every process's output.
Exit 77 (skip) when l3fwd-power is not built: run devtools/setup.

The rig (processes, evq-sim, the DPDK applications, telemetry, cleanup) is
app/test-evq/evq_testlib.py. Every wait is for a condition (a log line, a
socket, a counter, a process exit) with a deadline; nothing sleeps to
synchronise.
"""

import json
import os
import re
import signal
import sys
import time

# the shared driver infrastructure lives in app/test-evq/evq_testlib.py
sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from evq_testlib import (PMD_LOG_LEVEL, TestSkip, fail, env_executable,  # noqa: E402
                         plugin, telemetry_xstats, main)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.environ.get("EVQ_ROOT", os.path.normpath(os.path.join(HERE, "..", "..", "..")))
L3FWD_POWER = os.environ.get("EVQ_L3FWD_POWER",
                             os.path.join(ROOT, "build-deps", "l3fwd-power", "build", "l3fwd-power"))

# l3fwd-power's LPM table sends 1.1.1.0/24 to port 0; its port gets this MAC
# (no promiscuous mode needed) and the generator sends to it.
DST_IP = "1.1.1.1"
L3_MAC = "02:00:00:00:00:01"
WAKE_RE = re.compile(r"lcore (\d+) is waked up from rx interrupt on port (\d+) queue (\d+)")


class Rig:
    """evq-sim (two ports on a pair wire), evq-rategen on port 0 (socket 0)
    and l3fwd-power on port 1 (socket 1), in the test's Env (private
    directory, EAL prefixes, cleanup)."""

    def __init__(self, env):
        self.env = env

    def start(self, queues, rate, on_s, off_s, cycles, flows, sim_args=(), devargs=""):
        if not os.access(L3FWD_POWER, os.X_OK):
            raise TestSkip("no %s: run devtools/setup (it builds Debian's l3fwd-power "
                           "example)" % L3FWD_POWER)
        if (os.cpu_count() or 1) < 2:
            raise TestSkip("the rig pins l3fwd-power's lcores to CPUs 0 and 1: 2 CPUs needed")
        env = self.env
        rategen = env_executable("EVQ_RATEGEN")
        plugin()    # checks EVQ_PMD before anything starts
        go = os.path.join(env.dir, "go")
        # Two cores: the generator (sleeps between packets) and the
        # adapter's engine share CPU 0; the engine naps when idle so that
        # l3fwd-power's lcore 0 (two-queue case) gets CPU 0 too.
        self.sim = env.start_sim(2, "pair", ["--queues", "4", "--poll-sleep", "20"] +
                                 list(sim_args))

        # (--in-memory does not go with --no-huge: Env.cleanup() removes the
        # runtime directories, where the telemetry sockets live too)
        duration = cycles * (on_s + off_s) - off_s / 2
        self.gen = env.dpdk_app(
            "evq-rategen", rategen, "0", ["net_evq0,socket=%s" % env.socket(0)],
            ["--rate", str(rate), "--on", str(on_s), "--off", str(off_s),
             "--duration", "%.3f" % duration, "--drain", "1",
             "--flows", str(flows), "--dst-ip", DST_IP, "--dst-mac", L3_MAC,
             "--start-file", go, "--link-wait", "60"],
            prefix="gen", log=PMD_LOG_LEVEL)

        if queues == 1:
            lcores, config = "1", "(0,0,1)"
        else:
            lcores, config = "0-1", "(0,0,0),(0,1,1)"
        self.l3 = env.dpdk_app(
            "l3fwd-power", L3FWD_POWER, lcores,
            ["net_evq0,socket=%s,mac=%s%s" % (env.socket(1), L3_MAC, devargs)],
            ["-p", "0x1", "--config=%s" % config, "--interrupt-only"],
            prefix="l3", log=PMD_LOG_LEVEL)
        self.l3_telemetry = env.telemetry_socket("l3")
        self.l3.expect_count(r"entering main interrupt loop on lcore", queues, 60,
                             "'entering main interrupt loop' for %d lcores" % queues)
        if "RX interrupt won't enable" in self.l3.output():
            self.l3.dump()
            fail("l3fwd-power could not register the Rx interrupts (rte_eth_dev_rx_intr_ctl_q)")
        # both lcores asleep before the first burst: each logs nothing on
        # its first sleep, but the driver counts the arm
        deadline = time.monotonic() + 20
        while True:
            x = self.xstats()
            if all(x.get("rx_q%d_intr_arms" % q, 0) > 0 for q in range(queues)):
                break
            if time.monotonic() > deadline:
                fail("l3fwd-power's lcores never armed the Rx interrupt: %s" % x)
            time.sleep(0.05)
        open(go, "w").close()

    def xstats(self):
        return telemetry_xstats(self.l3_telemetry, 0, self.l3)

    def finish(self, timeout):
        """Wait for the generator's summary; read l3fwd-power's xstats;
        stop everything cleanly. Returns (summary, xstats, l3fwd log)."""
        rc = self.gen.wait(timeout)
        out = self.gen.output()
        m = re.search(r'^\{"tool": "evq-rategen".*\}$', out, re.M)
        if rc != 0 or not m:
            self.gen.dump()
            fail("evq-rategen failed (rc %s)" % rc)
        summary = json.loads(m.group(0))
        if self.l3.p.poll() is not None:
            self.l3.dump()
            fail("l3fwd-power exited during the run (rc %s)" % self.l3.p.returncode)
        x = self.xstats()
        self.l3.send_signal(signal.SIGINT)
        rc = self.l3.wait(30)
        log = self.l3.output()
        if rc != 0:
            self.l3.dump()
            fail("l3fwd-power exited with %s on SIGINT" % rc)
        self.sim.send_signal(signal.SIGTERM)
        self.sim.wait(30)
        # where packets went missing, if any: the adapter's per-port drops
        for m in re.finditer(r"^port (\d+) \(.*\n\s+rx: .*drops: (\d+) missed",
                             self.sim.output(), re.M):
            if int(m.group(2)):
                print("evq-sim: port %s (%s) dropped %s frames: its Rx ring was full" %
                      (m.group(1), "generator" if m.group(1) == "0" else "l3fwd-power", m.group(2)))
        return summary, x, log


def check(env, queues, rate, on_s, off_s, cycles, flows, sim_args=(), devargs="",
          wakeups_exact=True, expect_log=None):
    rig = Rig(env)
    rig.start(queues, rate, on_s, off_s, cycles, flows, sim_args, devargs)
    summary, x, log = rig.finish(cycles * (on_s + off_s) + 60)

    sent, refused, back = summary["tx_pkts"], summary["tx_refused"], summary["rx_pkts"]
    bursts = summary["on_phases"]
    wake = {q: 0 for q in range(queues)}
    for m in WAKE_RE.finditer(log):
        q = int(m.group(3))
        if int(m.group(2)) != 0 or q not in wake:
            fail("wake-up on an unexpected port/queue: %s" % m.group(0))
        wake[q] += 1
    sleeps = len(re.findall(r"lcore \d+ sleeps until interrupt triggers", log))
    print("generator: %d bursts of %.2f s at %d pps (pauses %.2f s): sent %d, refused %d, "
          "received back %d, skipped slots %d" % (bursts, on_s, rate, off_s, sent, refused, back,
                                                 summary["skipped"]))
    print("l3fwd-power log: %d sleep lines, wake-ups per queue %s" % (sleeps, wake))
    drv = {}
    for q in range(queues):
        drv[q] = {k: x.get("rx_q%d_%s" % (q, k)) for k in
                  ("packets", "intr_arms", "intr_wakeups", "intr_spurious_wakeups")}
    print("PMD xstats per queue: %s; adapter: hw_msix_signals %s, hw_intx_signals %s, "
          "eq0_interrupts %s, hw_eq_doorbells %s; shared-interrupt handler: runs %s, "
          "wake-ups %s, empty %s" %
          (drv, x.get("hw_msix_signals"), x.get("hw_intx_signals"), x.get("eq0_interrupts"),
           x.get("hw_eq_doorbells"), x.get("shared_irqs"), x.get("shared_irq_wakeups"),
           x.get("shared_irq_empty")))

    if expect_log and not re.search(expect_log, log):
        fail("no /%s/ in l3fwd-power's log" % expect_log)
    if bursts != cycles:
        fail("the generator ran %d bursts, %d planned" % (bursts, cycles))
    if sent < bursts * rate * on_s * 0.5:
        fail("the generator sent only %d packets" % sent)
    if refused != 0:
        fail("the generator's port refused %d packets" % refused)
    if back != sent:
        fail("packets lost: sent %d, received back %d (%d missing)" % (sent, back, sent - back))
    for q in range(queues):
        d = drv[q]
        if None in d.values():
            fail("xstats of Rx queue %d missing: %s" % (q, sorted(x)))
        # each burst finds the queue asleep and must wake it up
        if wake[q] < bursts:
            fail("queue %d: %d wake-ups logged for %d bursts" % (q, wake[q], bursts))
        if d["intr_wakeups"] < bursts:
            fail("queue %d: the PMD counted %d wake-ups with work for %d bursts" %
                 (q, d["intr_wakeups"], bursts))
        if queues > 1 and d["packets"] < sent // (4 * queues):
            fail("RSS left queue %d nearly empty: %s" % (q, drv))
        # Every logged wake-up is one armed queue's interrupt, and every
        # disable after a wake-up finds work, give or take the races at a
        # 10 ms epoll timeout (a packet landing between the timeout and the
        # disable is counted by the PMD now and logged at the next sleep).
        slack = max(5, wake[q] // 20)
        if wakeups_exact and abs(d["intr_wakeups"] - wake[q]) > slack:
            fail("queue %d: %d wake-ups logged, the PMD counted %d with work (slack %d)" %
                 (q, wake[q], d["intr_wakeups"], slack))
        if d["intr_arms"] < wake[q]:
            fail("queue %d: %d wake-ups but only %d arms" % (q, wake[q], d["intr_arms"]))
        # each arm ends in one disable (the last one may still be armed;
        # the snapshot is not atomic against the lcore)
        if abs(d["intr_arms"] - d["intr_wakeups"] - d["intr_spurious_wakeups"]) > 2:
            fail("queue %d: arms %d != wake-ups %d + spurious %d" %
                 (q, d["intr_arms"], d["intr_wakeups"], d["intr_spurious_wakeups"]))
    # the adapter signalled each logged wake-up (EQ 0: link, admin), by
    # MSI-X or INTx
    total = sum(wake.values())
    signals = x.get("hw_msix_signals")
    if signals is not None and wakeups_exact:
        rx_signals = signals + x.get("hw_intx_signals", 0) - x.get("eq0_interrupts", 0)
        if abs(rx_signals - total) > max(5, total // 20):
            fail("the adapter signalled %d Rx interrupts, l3fwd-power logged %d wake-ups" %
                 (rx_signals, total))
    print("ok")


def t_one_queue(env):
    # 1 lcore, 1 queue: 8 bursts of 0.25 s at 2000 pps (a packet every
    # 500 us: the lcore also sleeps between packets)
    check(env, queues=1, rate=2000, on_s=0.25, off_s=0.25, cycles=8, flows=1)


def t_two_queues(env):
    # 2 lcores, 2 queues, 256 flows spread by RSS
    check(env, queues=2, rate=4000, on_s=0.25, off_s=0.25, cycles=8, flows=256)


def t_one_queue_fast(env):
    # 1 lcore, 1 queue: 8 bursts of 0.15 s at 20k pps: the lcore sleeps in
    # the pauses only, and the first packets of a burst pile up in the ring
    # while it wakes up. (Not faster: the generator and the adapter's engine
    # share a core under the normal scheduler, and a stall of the engine of
    # more than a ring's worth of traffic drops packets in the rig itself.)
    check(env, queues=1, rate=20000, on_s=0.15, off_s=0.2, cycles=8, flows=16)


def t_two_queues_intx(env):
    # two_queues on an adapter without MSI-X: EQ 0 and both Rx queues on INTx
    check(env, queues=2, rate=4000, on_s=0.25, off_s=0.25, cycles=8, flows=256,
          sim_args=["--vectors", "0"])


def t_two_queues_vector0(env):
    # two_queues with vector 0 only: EQ 0 on MSI-X, both Rx queues on INTx
    check(env, queues=2, rate=4000, on_s=0.25, off_s=0.25, cycles=8, flows=256,
          sim_args=["--vectors", "1"])


def t_one_queue_timestamp(env):
    # one_queue with the adapter's time-stamp moderation (intr_mode=
    # timestamp): it signals when a burst lands on an EQ the driver has
    # emptied, and again only if the driver then leaves events unconsumed
    # for 1 ms, so the adapter also signals while the lcore polls: such a
    # signal makes the next sleep return at once with nothing to do, so
    # logged wake-ups and signals are not one per wake-up with work; nothing
    # may be lost, and every burst must still wake the queue
    check(env, queues=1, rate=2000, on_s=0.25, off_s=0.25, cycles=8, flows=1,
          devargs=",intr_mode=timestamp,intr_delay_ns=1000000", wakeups_exact=False)


def t_two_queues_lcore_layout(env):
    # two_queues with eq_layout=lcore: each lcore's Rx queue q and Tx queue q
    # share EQ 1 + q (l3fwd-power gives lcore q Tx queue q), so the Tx
    # completions of what it forwarded land on the EQ it sleeps on
    check(env, queues=2, rate=4000, on_s=0.25, off_s=0.25, cycles=8, flows=256,
          devargs=",eq_layout=lcore", expect_log=r"eq_layout=lcore: ")


def t_rategen_wire(env):
    """evq-sim's rategen wire (devtools/bench intr's evq rig): the adapter
    itself generates paced traffic into l3fwd-power's port and counts what
    comes back. Exact counts, from three places: the adapter's summary
    (frames it offered, took, refused and saw come back), l3fwd-power's
    Rx and Tx xstats, and evq-sim's final port counters. Frames refused
    for a full Rx ring (a descheduled lcore) are counted, not judged,
    up to a quarter of them."""
    if not os.access(L3FWD_POWER, os.X_OK):
        raise TestSkip("no %s: run devtools/setup" % L3FWD_POWER)
    if (os.cpu_count() or 1) < 2:
        raise TestSkip("l3fwd-power's lcore is pinned to CPU 1: 2 CPUs needed")
    plugin()
    go = os.path.join(env.dir, "go")
    # 10k pps: only an lcore descheduled for a whole ring's worth of traffic
    # (1024 descriptors, 100 ms) would lose frames in the rig itself
    rate, duration = 10000, 1.5
    # the engine naps when idle (a loaded 2-core machine); a late engine
    # skips slots (counted), it does not burst them
    sim = env.start_sim(1, "rategen", [
        "--rate", str(rate), "--gen-duration", str(duration), "--gen-drain", "1",
        "--gen-dst-ip", DST_IP, "--gen-flows", "16", "--gen-burst", "64",
        "--gen-batch-us", "100", "--gen-start-file", go, "--poll-sleep", "20"])
    l3 = env.dpdk_app(
        "l3fwd-power", L3FWD_POWER, "1", ["net_evq0,socket=%s,mac=%s" % (env.socket(0), L3_MAC)],
        ["-p", "0x1", "--config=(0,0,1)", "--interrupt-only"], prefix="l3", log=PMD_LOG_LEVEL)
    tele = env.telemetry_socket("l3")
    l3.expect(r"entering main interrupt loop on lcore", 60)
    deadline = time.monotonic() + 20
    while telemetry_xstats(tele, 0, l3).get("rx_q0_intr_arms", 0) == 0:
        if time.monotonic() > deadline:
            fail("l3fwd-power's lcore never armed the Rx interrupt")
        time.sleep(0.05)
    # nothing is sent before the start file exists
    x0 = telemetry_xstats(tele, 0, l3)
    if x0.get("rx_good_packets", 0) != 0:
        fail("l3fwd-power received %d frames before the start file" % x0["rx_good_packets"])
    open(go, "w").close()
    sim.expect(r"^evq-sim: port 0: rategen: sending at %d pps" % rate, 20)
    m = sim.expect(r'^\{"tool": "evq-sim", "wire": "rategen".*\}$', duration + 30,
                   "the rategen summary line")
    summary = json.loads(m.group(0))
    x = telemetry_xstats(tele, 0, l3)
    l3.send_signal(signal.SIGINT)
    if l3.wait(30) != 0:
        l3.dump()
        fail("l3fwd-power exited with an error on SIGINT")
    sim.send_signal(signal.SIGTERM)
    sim.wait(30)
    final = re.search(r"^port 0 \(.*\n\s+rx: (\d+) packets .*drops: (\d+) missed (\d+) "
                      r"filtered (\d+) errors.*\n\s+tx: (\d+) packets", sim.output(), re.M)
    if not final:
        sim.dump()
        fail("no final port counters from evq-sim")
    sim_rx, sim_missed, sim_filtered, sim_err, sim_tx = (int(v) for v in final.groups())
    sent, refused, back = summary["tx_pkts"], summary["tx_refused"], summary["rx_pkts"]
    print("rategen wire: %s" % summary)
    print("l3fwd-power: rx_good_packets %s, tx_good_packets %s; evq-sim port 0: rx %d "
          "(missed %d, filtered %d, errors %d), tx %d" %
          (x.get("rx_good_packets"), x.get("tx_good_packets"), sim_rx, sim_missed,
           sim_filtered, sim_err, sim_tx))
    if not summary["complete"]:
        fail("the summary says the run was cut short")
    if sent < rate * duration * 0.5:
        fail("the wire offered only %d frames at %d pps for %.1f s" % (sent, rate, duration))
    if refused != summary["refused_missed"] + summary["refused_filtered"] + \
            summary["refused_errors"] or summary["refused_missed"] != \
            summary["missed_no_desc"] + summary["missed_eq"] + summary["missed_queue_off"]:
        fail("the refused frames are not the sum of their causes")
    # Frames refused for want of an Rx descriptor mean l3fwd-power's lcore
    # was off its CPU for more than a ring's worth of traffic: a matter of
    # the machine's load, measured by devtools/bench intr, not judged here
    # (a CI run beside other work once lost 746 of 15,000). Any other
    # refusal is the rig's or the driver's fault, and so is losing more
    # than a quarter of the frames.
    if summary["refused_filtered"] or summary["refused_errors"] or \
            summary["missed_eq"] or summary["missed_queue_off"]:
        fail("the port refused frames for another cause than a full Rx ring: %s" % summary)
    if refused > (sent + refused) // 4:
        fail("the port refused %d of %d frames (Rx ring full)" % (refused, sent + refused))
    if refused:
        print("NOTICE: %d frames refused for want of an Rx descriptor (l3fwd-power's lcore "
              "held off its CPU: a loaded machine)" % refused)
    if back != sent:
        fail("frames lost: offered and taken %d, came back %d" % (sent, back))
    # the driver's view: every frame the adapter took reached l3fwd-power
    # and was sent back, and the adapter's own counters agree
    if x.get("rx_good_packets") != sent or x.get("tx_good_packets") != back:
        fail("l3fwd-power's xstats (rx %s, tx %s) differ from the wire's (%d, %d)" %
             (x.get("rx_good_packets"), x.get("tx_good_packets"), sent, back))
    if sim_rx != sent or sim_tx != back or sim_missed != refused or sim_filtered or sim_err:
        fail("evq-sim's port counters (rx %d, tx %d, drops %d/%d/%d) differ from the "
             "wire's summary" % (sim_rx, sim_tx, sim_missed, sim_filtered, sim_err))
    print("ok")


TESTS = {"one_queue": t_one_queue, "one_queue_timestamp": t_one_queue_timestamp,
         "two_queues_lcore_layout": t_two_queues_lcore_layout, "two_queues": t_two_queues,
         "one_queue_fast": t_one_queue_fast, "two_queues_intx": t_two_queues_intx,
         "two_queues_vector0": t_two_queues_vector0, "rategen_wire": t_rategen_wire}


if __name__ == "__main__":
    sys.exit(main(TESTS, "l3p", "evql3p"))
