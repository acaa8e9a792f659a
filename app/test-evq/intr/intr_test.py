#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The evq authors
"""
Interrupt-routing tests of net_evq (suite 'intr'): start evq-sim, run
test_intr_app (a DPDK application loading the PMD with -d) with one test,
wait for its PASS/FAIL line, clean up. One test per invocation:

    intr_test.py reta|storm|storm_fault|lsc

storm_fault runs the storm with an injected fault (every 50th arm skipped)
and passes only if the app reports lost wake-ups and fails: it proves the
detector works.

Environment (meson sets them): EVQ_SIM, EVQ_PMD (absolute path of
librte_net_evq.so), EVQ_INTR_APP, EVQ_TEST_VERBOSE=1 echoes everything.
Every wait is for a condition with a deadline; nothing sleeps to
synchronise.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

SIM = os.environ.get("EVQ_SIM", "")
PMD = os.environ.get("EVQ_PMD", "")
APP = os.environ.get("EVQ_INTR_APP", "")
TESTPMD = os.environ.get("EVQ_TESTPMD", "/usr/bin/dpdk-testpmd")
PROMPT = "testpmd> "
RETA_CHUNK = 12
VERBOSE = os.environ.get("EVQ_TEST_VERBOSE", "") == "1"


class TestFailure(Exception):
    pass


def fail(msg):
    raise TestFailure(msg)


class Proc:
    """A child in its own session; merged stdout/stderr collected by a thread."""

    def __init__(self, name, argv, env=None, stdin=False):
        self.name = name
        if VERBOSE:
            print("+ " + " ".join(argv), flush=True)
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, start_new_session=True,
                                  env=env)
        self.buf = ""
        self.cv = threading.Condition()
        self.eof = False
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        while True:
            data = os.read(self.p.stdout.fileno(), 65536)
            with self.cv:
                if not data:
                    self.eof = True
                    self.cv.notify_all()
                    return
                text = data.decode("utf-8", "replace")
                if VERBOSE:
                    sys.stdout.write(text)
                    sys.stdout.flush()
                self.buf += text
                self.cv.notify_all()

    def expect(self, pattern, timeout, since=0):
        rx = re.compile(pattern, re.M)
        deadline = time.monotonic() + timeout
        with self.cv:
            while True:
                m = rx.search(self.buf, since)
                if m:
                    return m
                if self.eof:
                    self.dump()
                    fail("%s exited (rc %s) before /%s/" % (self.name, self.p.poll(), pattern))
                left = deadline - time.monotonic()
                if left <= 0:
                    self.dump()
                    fail("%s: timeout waiting for /%s/" % (self.name, pattern))
                self.cv.wait(left)

    def output(self):
        with self.cv:
            return self.buf

    def send(self, line):
        if VERBOSE:
            print(">>> " + line, flush=True)
        self.p.stdin.write((line + "\n").encode())
        self.p.stdin.flush()

    def dump(self):
        sys.stderr.write("----- %s output (tail) -----\n%s\n-----\n" %
                         (self.name, self.output()[-6000:]))

    def wait(self, timeout):
        try:
            return self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.dump()
            self.kill()
            fail("%s did not exit within %ss" % (self.name, timeout))

    def kill(self):
        if self.p.poll() is None:
            try:
                os.killpg(self.p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            self.p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass


class Env:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="evq-intr-")
        self.procs = []

    def socket(self, i):
        return os.path.join(self.dir, "evq%d.sock" % i)

    def start_sim(self, n, wire):
        if not os.access(SIM, os.X_OK):
            fail("EVQ_SIM=%r is not an executable evq-sim" % SIM)
        argv = [SIM, "--wire", wire]
        for i in range(n):
            argv += ["--socket", self.socket(i)]
        sim = Proc("evq-sim", argv)
        self.procs.append(sim)
        deadline = time.monotonic() + 30
        while not all(os.path.exists(self.socket(i)) for i in range(n)):
            if sim.p.poll() is not None:
                sim.dump()
                fail("evq-sim exited with %s at start" % sim.p.returncode)
            if time.monotonic() > deadline:
                fail("evq-sim did not create its sockets")
            with sim.cv:
                sim.cv.wait(0.05)
        return sim

    def run_app(self, test, nports, lcores, extra=None, env=None, timeout=90):
        if not os.access(APP, os.X_OK):
            fail("EVQ_INTR_APP=%r is not executable" % APP)
        if not PMD or not os.path.isabs(PMD) or not os.path.exists(PMD):
            fail("EVQ_PMD=%r must be the absolute path of librte_net_evq.so" % PMD)
        argv = [APP, "-l", lcores, "--no-huge", "-m", "256", "--no-pci",
                "--file-prefix", "evqi%d_%s" % (os.getpid(), test), "-d", PMD]
        for i in range(nports):
            argv += ["--vdev", "net_evq%d,socket=%s" % (i, self.socket(i))]
        argv += ["--", test] + (extra or [])
        p = Proc("test_intr_app", argv, env=env)
        self.procs.append(p)
        p.expect(r"^(PASS|FAIL)$", timeout)
        rc = p.wait(30)
        return rc, p

    def testpmd(self, nports, app_args):
        if not PMD or not os.path.isabs(PMD) or not os.path.exists(PMD):
            fail("EVQ_PMD=%r must be the absolute path of librte_net_evq.so" % PMD)
        # testpmd prints with stdio into a pipe: line-buffer it
        argv = (["stdbuf", "-oL", "-eL"] if shutil.which("stdbuf") else []) + \
            [TESTPMD, "-l", "0-1", "--no-huge", "-m", "512", "--no-pci",
             "--file-prefix", "evqi%d_tp" % os.getpid(), "-d", PMD]
        for i in range(nports):
            argv += ["--vdev", "net_evq%d,socket=%s" % (i, self.socket(i))]
        argv += ["--", "--total-num-mbufs=32768"] + app_args
        tp = Proc("testpmd", argv, stdin=True)
        self.procs.append(tp)
        return tp

    def cleanup(self):
        for p in reversed(self.procs):
            p.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


def report(p, prefixes):
    for line in p.output().splitlines():
        if line.startswith(prefixes):
            print(line)


def expect_pass(rc, p, what):
    if rc != 0 or not re.search(r"^PASS$", p.output(), re.M):
        p.dump()
        fail("%s failed (rc %s)" % (what, rc))


def t_reta(env):
    env.start_sim(2, "pair")
    rc, p = env.run_app("reta", 2, "0")
    report(p, ("reta ", "FAIL", "  "))
    expect_pass(rc, p, "reta_moves")
    print("reta_moves: ok")


def t_storm(env):
    env.start_sim(2, "pair")
    rc, p = env.run_app("storm", 2, "0-1")
    report(p, ("storm", "lost", "FAIL"))
    expect_pass(rc, p, "storm")
    print("storm: ok")


def t_storm_fault(env):
    """The detector must catch a driver that forgets to arm."""
    env.start_sim(2, "pair")
    rc, p = env.run_app("storm", 2, "0-1", ["--inject-skip-arm", "50"])
    report(p, ("storm", "lost", "FAIL"))
    out = p.output()
    m = re.search(r"LOST WAKE-UPS (\d+)", out)
    if rc == 0 or not m or int(m.group(1)) == 0 or not re.search(r"lost wake-ups", out):
        p.dump()
        fail("skipping arms went unnoticed (rc %s)" % rc)
    print("storm_fault: the injected fault was detected (%s lost wake-ups): ok" % m.group(1))


def t_lsc(env):
    sim = env.start_sim(1, "loop")
    env_vars = dict(os.environ, EVQ_SIM_PID=str(sim.p.pid))
    rc, p = env.run_app("lsc", 1, "0", env=env_vars)
    report(p, ("lsc", "FAIL"))
    expect_pass(rc, p, "lsc")
    print("lsc_vector0: ok")


def tp_cmd(tp, line, timeout=20):
    """Run a testpmd command; return its output up to the next prompt."""
    start = len(tp.output())
    tp.send(line)
    tp.expect(re.escape(PROMPT), timeout, since=start)
    return tp.output()[start:]


def tp_rx_per_queue(tp, port, nq):
    out = tp_cmd(tp, "show port xstats %d" % port)
    vals = {m.group(1): int(m.group(2))
            for m in re.finditer(r"^(\w+):\s+(\d+)\s*$", out, re.M)}
    if "rx_q0_packets" not in vals:
        fail("no per-queue xstats:\n%s" % out)
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
    tp_cmd(tp, "start tx_first")
    a = wait_for(base + 10000, "flushing")
    b = wait_for(sum(a) + minimum, "measuring")
    tp_cmd(tp, "stop")
    return [y - x for x, y in zip(a, b)]


def t_testpmd_reta(env):
    """testpmd's 'port config 0 rss reta' moves live traffic (the pmd
    suite's control test checks the read-back only)."""
    if not os.access(TESTPMD, os.X_OK):
        print("SKIP: %s not found" % TESTPMD)
        sys.exit(77)
    env.start_sim(2, "pair")
    tp = env.testpmd(2, ["-i", "--rxq=4", "--txq=4", "--forward-mode=io",
                         "--txonly-multi-flow", "--burst=32"])
    tp.expect(re.escape(PROMPT), 60)
    per_q = tp_traffic(tp, 20000)
    print("testpmd default RETA, port 0 Rx per queue: %s" % per_q)
    if min(per_q) == 0:
        fail("default RETA does not spread over 4 queues: %s" % per_q)
    # every entry to queue 2, a few entries per command (testpmd's string
    # token holds at most 128 characters)
    for base in range(0, 128, RETA_CHUNK):
        out = tp_cmd(tp, "port config 0 rss reta " +
                     ",".join("(%d,2)" % i for i in range(base, min(base + RETA_CHUNK, 128))))
        if re.search(r"[Ff]ail|[Ee]rror|[Ii]nvalid|[Bb]ad", out):
            fail("reta update: %s" % out)
    out = tp_cmd(tp, "show port 0 rss reta 128 (0xffffffffffffffff,0xffffffffffffffff)")
    queues = set(int(q) for q in re.findall(r"hash index=\d+, queue=(\d+)", out))
    if queues != {2}:
        fail("RETA read back %s, expected only queue 2:\n%s" % (queues, out))
    per_q = tp_traffic(tp, 20000)
    print("testpmd RETA all -> 2, port 0 Rx per queue: %s" % per_q)
    if per_q[2] == 0 or per_q[0] + per_q[1] + per_q[3] != 0:
        fail("traffic did not move to queue 2 only: %s" % per_q)
    # half the entries back to queue 0: both queues get traffic, no other
    for base in range(0, 128, RETA_CHUNK):
        out = tp_cmd(tp, "port config 0 rss reta " +
                     ",".join("(%d,%d)" % (i, 0 if i % 2 else 2)
                              for i in range(base, min(base + RETA_CHUNK, 128))))
        if re.search(r"[Ff]ail|[Ee]rror|[Ii]nvalid|[Bb]ad", out):
            fail("reta update: %s" % out)
    per_q = tp_traffic(tp, 20000)
    print("testpmd RETA odd -> 0, even -> 2, port 0 Rx per queue: %s" % per_q)
    if per_q[0] == 0 or per_q[2] == 0 or per_q[1] + per_q[3] != 0:
        fail("traffic not split over queues 0 and 2: %s" % per_q)
    tp.send("quit")
    tp.expect(r"Bye\.\.\.", 30)
    if tp.wait(30) != 0:
        fail("testpmd exited with an error")
    print("testpmd_reta: ok")


TESTS = {
    "reta": t_reta,
    "storm": t_storm,
    "storm_fault": t_storm_fault,
    "lsc": t_lsc,
    "testpmd_reta": t_testpmd_reta,
}


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in TESTS:
        sys.stderr.write("usage: %s {%s}\n" % (sys.argv[0], "|".join(TESTS)))
        return 2
    env = Env()
    try:
        TESTS[sys.argv[1]](env)
    except TestFailure as e:
        sys.stderr.write("FAIL: %s\n" % e)
        return 1
    finally:
        env.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
