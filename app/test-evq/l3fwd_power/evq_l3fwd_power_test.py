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

usage: evq_l3fwd_power_test.py {one_queue|two_queues|one_queue_fast}
Environment (meson sets them): EVQ_SIM, EVQ_PMD (absolute path of
librte_net_evq.so), EVQ_RATEGEN, EVQ_L3FWD_POWER (default
build-deps/l3fwd-power/build/l3fwd-power of the source tree, EVQ_ROOT);
EVQ_TEST_VERBOSE=1 echoes every process's output.
Exit 77 (skip) when l3fwd-power is not built: run devtools/setup.

Every wait is for a condition (a log line, a socket, a process exit) with a
deadline; nothing sleeps to synchronise.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.environ.get("EVQ_ROOT", os.path.normpath(os.path.join(HERE, "..", "..", "..")))
SIM = os.environ.get("EVQ_SIM", "")
PMD = os.environ.get("EVQ_PMD", "")
RATEGEN = os.environ.get("EVQ_RATEGEN", "")
L3FWD_POWER = os.environ.get("EVQ_L3FWD_POWER",
                             os.path.join(ROOT, "build-deps", "l3fwd-power", "build", "l3fwd-power"))
VERBOSE = os.environ.get("EVQ_TEST_VERBOSE", "") == "1"
SKIP = 77

# l3fwd-power's LPM table sends 1.1.1.0/24 to port 0; its port gets this MAC
# (no promiscuous mode needed) and the generator sends to it.
DST_IP = "1.1.1.1"
L3_MAC = "02:00:00:00:00:01"
WAKE_RE = re.compile(r"lcore (\d+) is waked up from rx interrupt on port (\d+) queue (\d+)")


class TestFailure(Exception):
    pass


def fail(msg):
    raise TestFailure(msg)


def insecure_parent(path):
    """EAL refuses a plugin if the file or a parent directory is
    world-writable: the first such directory, or None."""
    d = os.path.dirname(os.path.abspath(path))
    while True:
        if os.stat(d).st_mode & 0o002:
            return d
        up = os.path.dirname(d)
        if up == d:
            return None
        d = up


def loadable_plugin(path, private_dir):
    """The plugin itself, or a copy in a private directory when the build
    tree lies below a world-writable directory (a checkout under /tmp)."""
    if insecure_parent(path) is None:
        return path
    copy = os.path.join(private_dir, os.path.basename(path))
    shutil.copyfile(path, copy)
    os.chmod(copy, 0o644)
    if insecure_parent(copy) is not None:
        fail("%s lies below the world-writable %s and no private copy is possible" %
             (path, insecure_parent(path)))
    return copy


class Proc:
    """A child in its own session; a thread collects its merged output."""

    def __init__(self, name, argv):
        self.name = name
        if VERBOSE:
            print("+ " + " ".join(argv), flush=True)
        self.p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, start_new_session=True)
        self.buf = ""
        self.cv = threading.Condition()
        self.eof = False
        self.t = threading.Thread(target=self._reader, daemon=True)
        self.t.start()

    def _reader(self):
        while True:
            data = self.p.stdout.read1(65536)
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

    def output(self):
        with self.cv:
            return self.buf

    def wait_for(self, pattern, timeout, what, count=1):
        """Wait until 'pattern' occurs 'count' times in the output."""
        rx = re.compile(pattern, re.M)
        deadline = time.monotonic() + timeout
        with self.cv:
            while len(rx.findall(self.buf)) < count:
                if self.eof:
                    self.dump()
                    fail("%s exited (rc %s) before %s" % (self.name, self.p.poll(), what))
                left = deadline - time.monotonic()
                if left <= 0:
                    self.dump()
                    fail("%s: no %s within %ss" % (self.name, what, timeout))
                self.cv.wait(left)

    def dump(self):
        sys.stderr.write("----- %s output (tail) -----\n%s\n-----\n" %
                         (self.name, self.output()[-5000:]))

    def wait(self, timeout):
        try:
            rc = self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.dump()
            self.kill()
            fail("%s did not exit within %ss" % (self.name, timeout))
        self.t.join(5)
        return rc

    def signal(self, sig):
        if self.p.poll() is None:
            try:
                os.killpg(self.p.pid, sig)
            except ProcessLookupError:
                pass

    def kill(self):
        self.signal(signal.SIGKILL)
        try:
            self.p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass


def telemetry(sock_path, command):
    """One EAL telemetry (v2) command: its JSON answer."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        s.settimeout(10)
        s.connect(sock_path)
        info = json.loads(s.recv(4096).decode())
        s.send(command.encode())
        return json.loads(s.recv(int(info.get("max_output_len", 16384)) + 1024).decode())
    finally:
        s.close()


class Rig:
    """evq-sim (two ports on a pair wire), evq-rategen on port A and
    l3fwd-power on port B, with their private directory and EAL prefixes."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="evq-l3p-")    # 0700
        os.chmod(self.dir, 0o755)
        self.tag = "evql3p%d" % os.getpid()
        self.procs = []
        self.prefixes = []

    def path(self, name):
        return os.path.join(self.dir, name)

    def eal(self, prefix, lcores):
        # (--in-memory does not go with --no-huge: cleanup() removes the
        # runtime directory, where the telemetry socket lives too)
        prefix = "%s_%s" % (self.tag, prefix)
        self.prefixes.append(prefix)
        return ["-l", lcores, "--no-huge", "-m", "256", "--no-pci",
                "--file-prefix", prefix, "-d", self.pmd, "--log-level=pmd.net.evq:info"]

    def start(self, queues, rate, on_s, off_s, cycles, flows):
        for what, path in (("EVQ_SIM", SIM), ("EVQ_RATEGEN", RATEGEN)):
            if not path or not os.access(path, os.X_OK):
                fail("%s=%r is not an executable" % (what, path))
        if not PMD or not os.path.isabs(PMD) or not os.path.exists(PMD):
            fail("EVQ_PMD=%r must be the absolute path of librte_net_evq.so" % PMD)
        self.pmd = loadable_plugin(PMD, self.dir)
        sock_a, sock_b, go = self.path("a.sock"), self.path("b.sock"), self.path("go")
        # Two cores: the generator (sleeps between packets) and the
        # adapter's engine share CPU 0; the engine naps when idle so that
        # l3fwd-power's lcore 0 (two-queue case) gets CPU 0 too.
        sim = Proc("evq-sim", [SIM, "--socket", sock_a, "--socket", sock_b,
                               "--wire", "pair", "--queues", "4", "--poll-sleep", "20"])
        self.procs.append(sim)
        deadline = time.monotonic() + 30
        while not (os.path.exists(sock_a) and os.path.exists(sock_b)):
            if sim.p.poll() is not None:
                sim.dump()
                fail("evq-sim exited with %s at start" % sim.p.returncode)
            if time.monotonic() > deadline:
                sim.dump()
                fail("evq-sim did not create its sockets")
            with sim.cv:
                sim.cv.wait(0.05)
        self.sim = sim

        duration = cycles * (on_s + off_s) - off_s / 2
        self.gen = Proc("evq-rategen", [RATEGEN] + self.eal("gen", "0") +
                        ["--vdev", "net_evq0,socket=%s" % sock_a, "--",
                         "--rate", str(rate), "--on", str(on_s), "--off", str(off_s),
                         "--duration", "%.3f" % duration, "--drain", "1",
                         "--flows", str(flows), "--dst-ip", DST_IP, "--dst-mac", L3_MAC,
                         "--start-file", go, "--link-wait", "60"])
        self.procs.append(self.gen)

        if queues == 1:
            lcores, config = "1", "(0,0,1)"
        else:
            lcores, config = "0-1", "(0,0,0),(0,1,1)"
        self.l3 = Proc("l3fwd-power", [L3FWD_POWER] + self.eal("l3", lcores) +
                       ["--vdev", "net_evq0,socket=%s,mac=%s" % (sock_b, L3_MAC), "--",
                        "-p", "0x1", "--config=%s" % config, "--interrupt-only"])
        self.procs.append(self.l3)
        self.l3.wait_for(r"entering main interrupt loop on lcore", 60,
                         "'entering main interrupt loop' for %d lcores" % queues, count=queues)
        if "RX interrupt won't enable" in self.l3.output():
            self.l3.dump()
            fail("l3fwd-power could not register the Rx interrupts (rte_eth_dev_rx_intr_ctl_q)")
        # the telemetry socket of l3fwd-power
        self.l3_telemetry = "/var/run/dpdk/%s_l3/dpdk_telemetry.v2" % self.tag
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
        try:
            ans = telemetry(self.l3_telemetry, "/ethdev/xstats,0")
        except (OSError, ValueError) as e:
            self.l3.dump()
            fail("telemetry %s: %s" % (self.l3_telemetry, e))
        x = ans.get("/ethdev/xstats")
        if not isinstance(x, dict) or not x:
            fail("telemetry /ethdev/xstats,0 answered %s" % ans)
        return x

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
        self.l3.signal(signal.SIGINT)
        rc = self.l3.wait(30)
        log = self.l3.output()
        if rc != 0:
            self.l3.dump()
            fail("l3fwd-power exited with %s on SIGINT" % rc)
        self.sim.signal(signal.SIGTERM)
        self.sim.wait(30)
        # where packets went missing, if any: the adapter's per-port drops
        for m in re.finditer(r"^port (\d+) \(.*\n\s+rx: .*drops: (\d+) missed",
                             self.sim.output(), re.M):
            if int(m.group(2)):
                print("evq-sim: port %s (%s) dropped %s frames: its Rx ring was full" %
                      (m.group(1), "generator" if m.group(1) == "0" else "l3fwd-power", m.group(2)))
        return summary, x, log

    def cleanup(self):
        for p in reversed(self.procs):
            p.kill()
        shutil.rmtree(self.dir, ignore_errors=True)
        for prefix in self.prefixes:
            shutil.rmtree(os.path.join("/var/run/dpdk", prefix), ignore_errors=True)


def check(queues, rate, on_s, off_s, cycles, flows):
    rig = Rig()
    try:
        rig.start(queues, rate, on_s, off_s, cycles, flows)
        summary, x, log = rig.finish(cycles * (on_s + off_s) + 60)
    finally:
        rig.cleanup()

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
    print("PMD xstats per queue: %s; adapter: hw_msix_signals %s, eq0_interrupts %s, "
          "hw_eq_doorbells %s" % (drv, x.get("hw_msix_signals"), x.get("eq0_interrupts"),
                                  x.get("hw_eq_doorbells")))

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
        if abs(d["intr_wakeups"] - wake[q]) > slack:
            fail("queue %d: %d wake-ups logged, the PMD counted %d with work (slack %d)" %
                 (q, wake[q], d["intr_wakeups"], slack))
        if d["intr_arms"] < wake[q]:
            fail("queue %d: %d wake-ups but only %d arms" % (q, wake[q], d["intr_arms"]))
        # each arm ends in one disable (the last one may still be armed;
        # the snapshot is not atomic against the lcore)
        if abs(d["intr_arms"] - d["intr_wakeups"] - d["intr_spurious_wakeups"]) > 2:
            fail("queue %d: arms %d != wake-ups %d + spurious %d" %
                 (q, d["intr_arms"], d["intr_wakeups"], d["intr_spurious_wakeups"]))
    # the adapter signalled each logged wake-up (vector 0: link, admin)
    total = sum(wake.values())
    signals = x.get("hw_msix_signals")
    if signals is not None:
        rx_signals = signals - x.get("eq0_interrupts", 0)
        if abs(rx_signals - total) > max(5, total // 20):
            fail("the adapter signalled %d Rx interrupts, l3fwd-power logged %d wake-ups" %
                 (rx_signals, total))
    print("ok")


def t_one_queue():
    # 1 lcore, 1 queue: 8 bursts of 0.25 s at 2000 pps (a packet every
    # 500 us: the lcore also sleeps between packets)
    check(queues=1, rate=2000, on_s=0.25, off_s=0.25, cycles=8, flows=1)


def t_two_queues():
    # 2 lcores, 2 queues, 256 flows spread by RSS
    check(queues=2, rate=4000, on_s=0.25, off_s=0.25, cycles=8, flows=256)


def t_one_queue_fast():
    # 1 lcore, 1 queue: 8 bursts of 0.15 s at 20k pps: the lcore sleeps in
    # the pauses only, and the first packets of a burst pile up in the ring
    # while it wakes up. (Not faster: the generator and the adapter's engine
    # share a core under the normal scheduler, and a stall of the engine of
    # more than a ring's worth of traffic drops packets in the rig itself.)
    check(queues=1, rate=20000, on_s=0.15, off_s=0.2, cycles=8, flows=16)


TESTS = {"one_queue": t_one_queue, "two_queues": t_two_queues,
         "one_queue_fast": t_one_queue_fast}


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in TESTS:
        sys.stderr.write("usage: %s {%s}\n" % (sys.argv[0], "|".join(TESTS)))
        return 2
    if not os.access(L3FWD_POWER, os.X_OK):
        print("SKIP: no %s: run devtools/setup (it builds Debian's l3fwd-power example)"
              % L3FWD_POWER)
        return SKIP
    if (os.cpu_count() or 1) < 2:
        print("SKIP: the rig pins l3fwd-power's lcores to CPUs 0 and 1: 2 CPUs needed")
        return SKIP
    try:
        TESTS[sys.argv[1]]()
    except TestFailure as e:
        sys.stderr.write("FAIL: %s\n" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
