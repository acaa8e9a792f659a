#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The evq authors
"""
Interrupt-routing tests of net_evq (suite 'intr'): start evq-sim, run
test_intr_app (a DPDK application loading the PMD with -d) with one test,
wait for its PASS/FAIL line, clean up. One test per invocation:

    intr_test.py reta|reta_lagging|reta_kept|storm|storm_intx|storm_fault|lsc|link_race|testpmd_reta|shared_irq

storm_fault runs the storm with an injected fault (every 50th arm skipped)
and passes only if the app reports lost wake-ups and fails: it proves the
detector works.

Environment (meson sets them): EVQ_SIM, EVQ_PMD (absolute path of
librte_net_evq.so), EVQ_INTR_APP, EVQ_TEST_VERBOSE=1 echoes everything.
testpmd_reta drives dpdk-testpmd (EVQ_TESTPMD) instead; it skips (77)
without it. The rig (processes, evq-sim, the app, testpmd, cleanup) is
app/test-evq/evq_testlib.py. Every wait is for a condition with a deadline;
nothing sleeps to synchronise.
"""

import os
import re
import sys
import time

# the shared driver infrastructure lives in app/test-evq/evq_testlib.py
sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from evq_testlib import (PMD_LOG_LEVEL, TESTPMD, fail, env_executable,  # noqa: E402
                         skip_unless_executable, cmd, wait_prompt, quit_testpmd,
                         xstats, report, expect_pass, adapter_env, main)

RETA_CHUNK = 12


def run_app(env, test, lcores, show, extra=(), nports=2, env_vars=None, devargs=""):
    """test_intr_app with one test on 'nports' ports of the running
    adapter (net_evq devargs 'devargs' added); print its lines starting
    with 'show'; (exit code, Proc)."""
    rc, p = env.run_pass_fail("test_intr_app", env_executable("EVQ_INTR_APP"), lcores,
                              env.vdevs(nports, extra=devargs), [test] + list(extra), env_vars,
                              prefix=test, log=PMD_LOG_LEVEL)
    report(p, show)
    return rc, p


def t_reta(env):
    env.start_sim(2, "pair")
    rc, p = run_app(env, "reta", "0", ("reta ", "FAIL", "  "))
    expect_pass(rc, p, "reta_moves")
    print("reta_moves: ok")


# evq-sim's idle sleep for reta_lagging, in microseconds (--poll-sleep)
LAGGING_SLEEP_US = 50000


def t_reta_lagging(env):
    """reta against an adapter that falls behind the sender: evq-sim sleeps
    when idle, as an engine thread not scheduled on a busy machine does, and
    then delivers everything queued at once. The sender must bound what it
    has in flight; every queue's ring must have room for it. (A whole phase
    of 1024 frames for one queue overran its ring: 'adapter delivered
    1020'.)"""
    env.start_sim(2, "pair", ["--poll-sleep", str(LAGGING_SLEEP_US)])
    rc, p = run_app(env, "reta", "0", ("reta ", "FAIL", "  "))
    expect_pass(rc, p, "reta_lagging")
    print("reta_lagging: ok")


def t_storm(env):
    env.start_sim(2, "pair")
    rc, p = run_app(env, "storm", "0-1", ("storm", "lost", "FAIL"))
    expect_pass(rc, p, "storm")
    print("storm: ok")


def t_storm_intx(env):
    """The storm on an adapter without MSI-X (evq-sim --vectors 0): EQ 0
    and the Rx queue share INTx; the driver's INTx handler finds the queue
    in the summary line."""
    env.start_sim(2, "pair", ["--vectors", "0"])
    rc, p = run_app(env, "storm", "0-1", ("storm", "lost", "FAIL"))
    expect_pass(rc, p, "storm")
    if not re.search(r"every interrupt is INTx", p.output()):
        p.dump()
        fail("the PMD did not run on INTx")
    print("storm_intx: ok")


def t_storm_phase(env):
    """The storm with the queue EQs on the phase validity rule
    (eq_validity=phase): arming is still one doorbell store, now also the
    read count the adapter takes free space from, and still signals
    exactly once; no event and no wake-up lost. On MSI-X, then on INTx
    (evq-sim --vectors 0: the handler finds the queue through the summary
    line and the phase-aware pending test)."""
    for vectors in (None, "0"):
        sim = env.start_sim(2, "pair", ["--vectors", vectors] if vectors else None)
        rc, p = run_app(env, "storm", "0-1", ("storm", "lost", "FAIL"),
                        devargs=",eq_validity=phase")
        expect_pass(rc, p, "storm (eq_validity=phase)")
        if not re.search(r"eq_validity=phase: the queue EQs use the phase bit", p.output()):
            p.dump()
            fail("the PMD did not select the phase rule")
        sim.kill()
        print("storm_phase%s: ok" % (" --vectors " + vectors if vectors else ""))


def t_storm_fault(env):
    """The detector must catch a driver that forgets to arm."""
    env.start_sim(2, "pair")
    rc, p = run_app(env, "storm", "0-1", ("storm", "lost", "FAIL"),
                    ["--inject-skip-arm", "50"])
    out = p.output()
    m = re.search(r"LOST WAKE-UPS (\d+)", out)
    if rc == 0 or not m or int(m.group(1)) == 0 or not re.search(r"lost wake-ups", out):
        p.dump()
        fail("skipping arms went unnoticed (rc %s)" % rc)
    print("storm_fault: the injected fault was detected (%s lost wake-ups): ok" % m.group(1))


def t_lsc(env):
    """LSC through vector 0 only; then the port is closed, which tears EQ 0
    down: no register may be accessed while the EQ 0 lock is held (the
    driver refuses such an access and logs it)."""
    sim = env.start_sim(1, "loop")
    rc, p = run_app(env, "lsc", "0", ("lsc", "FAIL", "BUG"), nports=1,
                    env_vars=dict(os.environ, **adapter_env(sim)))
    expect_pass(rc, p, "lsc")
    print("lsc_vector0: ok")
    if re.search(r"while holding the EQ 0 lock", p.output()):
        p.dump()
        fail("a register was accessed with the EQ 0 lock held")
    print("eq0_lock_not_held_across_register_access: ok")


def t_reta_kept(env):
    """The application's RETA survives dev_configure with as many queues."""
    env.start_sim(1, "loop")
    rc, p = run_app(env, "reta_kept", "0", ("reta_kept", "FAIL"), nports=1)
    expect_pass(rc, p, "reta_kept")
    print("reta_kept: ok")


def t_link_race(env):
    """The link state written by the interrupt thread, the LSC alarm and
    link_update at once: ethdev ends with the adapter's last state."""
    env.start_sim(1, "loop")
    rc, p = run_app(env, "link_race", "0-1", ("link_race", "FAIL", "BUG"), nports=1)
    expect_pass(rc, p, "link_race")
    print("link_race: ok")


def t_shared_irq(env):
    """Fewer MSI-X vectors than Rx queues + 1: 4 Rx queues on 2 shared
    vectors (evq-sim --vectors 3), on INTx beside vector 0 (--vectors 1),
    on INTx with everything else (--vectors 0). Each time only the queue
    with traffic wakes (the summary line), and nothing is lost."""
    for vectors, mode in (("3", "share vectors"), ("1", "signal INTx"),
                          ("0", "signal INTx")):
        sim = env.start_sim(2, "pair", ["--vectors", vectors])
        rc, p = run_app(env, "shared_irq", "0", ("shared_irq", "lost", "FAIL", "  "))
        expect_pass(rc, p, "shared_irq (--vectors %s)" % vectors)
        if not re.search(r"Rx queues[: ].*" + mode, p.output()):
            p.dump()
            fail("--vectors %s: the PMD did not say that the Rx queues %s" % (vectors, mode))
        sim.kill()
        print("shared_irq --vectors %s: ok" % vectors)


def tp_rx_per_queue(tp, port, nq):
    vals = xstats(tp, port)
    if "rx_q0_packets" not in vals:
        fail("no per-queue xstats: %s" % vals)
    return [vals.get("rx_q%d_packets" % q, 0) for q in range(nq)]


def tp_traffic(tp, minimum, timeout=30):
    """Forward and return port 0's per-queue Rx counts over a window that
    starts once 10000 packets have gone by, so that packets still sitting
    in the Rx rings from before a RETA change are not counted."""
    def wait_for(total, what):
        deadline = time.monotonic() + timeout
        while True:
            per_q = tp_rx_per_queue(tp, 0, 4)
            if sum(per_q) >= total:
                return per_q
            if time.monotonic() > deadline:
                fail("port 0 received only %s packets (%s)" % (per_q, what))

    base = sum(tp_rx_per_queue(tp, 0, 4))
    cmd(tp, "start tx_first")
    a = wait_for(base + 10000, "flushing")
    b = wait_for(sum(a) + minimum, "measuring")
    cmd(tp, "stop")
    return [y - x for x, y in zip(a, b)]


def set_reta(tp, queue_of):
    """Port 0's 128 RETA entries: entry i to queue_of(i), a few entries per
    command (testpmd's string token holds at most 128 characters)."""
    for base in range(0, 128, RETA_CHUNK):
        out = cmd(tp, "port config 0 rss reta " +
                  ",".join("(%d,%d)" % (i, queue_of(i))
                           for i in range(base, min(base + RETA_CHUNK, 128))))
        if re.search(r"[Ff]ail|[Ee]rror|[Ii]nvalid|[Bb]ad", out):
            fail("reta update: %s" % out)


def t_testpmd_reta(env):
    """testpmd's 'port config 0 rss reta' moves live traffic (the pmd
    suite's control test checks the read-back only)."""
    skip_unless_executable(TESTPMD)
    env.start_sim(2, "pair")
    # --rss-udp: testpmd's flows differ in the UDP source port from DPDK
    # 23.07 (in the IP source before), its default RSS hashes IP only
    tp = env.testpmd(env.vdevs(2), ["-i", "--rxq=4", "--txq=4", "--forward-mode=io",
                                    "--txonly-multi-flow", "--rss-udp", "--burst=32"])
    wait_prompt(tp)
    per_q = tp_traffic(tp, 20000)
    print("testpmd default RETA, port 0 Rx per queue: %s" % per_q)
    if min(per_q) == 0:
        fail("default RETA does not spread over 4 queues: %s" % per_q)
    # every entry to queue 2
    set_reta(tp, lambda i: 2)
    out = cmd(tp, "show port 0 rss reta 128 (0xffffffffffffffff,0xffffffffffffffff)")
    queues = set(int(q) for q in re.findall(r"hash index=\d+, queue=(\d+)", out))
    if queues != {2}:
        fail("RETA read back %s, expected only queue 2:\n%s" % (queues, out))
    per_q = tp_traffic(tp, 20000)
    print("testpmd RETA all -> 2, port 0 Rx per queue: %s" % per_q)
    if per_q[2] == 0 or per_q[0] + per_q[1] + per_q[3] != 0:
        fail("traffic did not move to queue 2 only: %s" % per_q)
    # half the entries back to queue 0: both queues get traffic, no other
    set_reta(tp, lambda i: 0 if i % 2 else 2)
    per_q = tp_traffic(tp, 20000)
    print("testpmd RETA odd -> 0, even -> 2, port 0 Rx per queue: %s" % per_q)
    if per_q[0] == 0 or per_q[2] == 0 or per_q[1] + per_q[3] != 0:
        fail("traffic not split over queues 0 and 2: %s" % per_q)
    quit_testpmd(tp)
    print("testpmd_reta: ok")


TESTS = {
    "reta": t_reta,
    "reta_lagging": t_reta_lagging,
    "storm": t_storm,
    "storm_intx": t_storm_intx,
    "storm_fault": t_storm_fault,
    "storm_phase": t_storm_phase,
    "lsc": t_lsc,
    "link_race": t_link_race,
    "reta_kept": t_reta_kept,
    "testpmd_reta": t_testpmd_reta,
    "shared_irq": t_shared_irq,
}


if __name__ == "__main__":
    sys.exit(main(TESTS, "intr", "evqi"))
