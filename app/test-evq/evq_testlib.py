# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The evq authors
"""
Shared infrastructure of the Python end-to-end test drivers of app/test-evq
(pmd/evq_pmd_test.py, intr/intr_test.py, l3fwd_power/evq_l3fwd_power_test.py;
written so that any other driver can use it). It owns: the plugin path EAL
accepts, child processes with collected output, the per-test rig (private
directory, evq-sim, testpmd or another DPDK application, cleanup), the
testpmd command helpers, the EAL telemetry client and the dispatch to one
test per invocation with exit code 77 for a skip. The tests themselves stay
in the drivers.

A driver in app/test-evq/<area>/ imports it with

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from evq_testlib import ...

and ends with sys.exit(main(TESTS, "<area>", "<EAL prefix tag>")).

Public names
  Environment (meson sets it): EVQ_SIM -> SIM, EVQ_PMD (see plugin()),
    EVQ_TESTPMD -> TESTPMD (default /usr/bin/dpdk-testpmd),
    EVQ_TESTPMD_PRELOAD -> TESTPMD_PRELOAD (LD_PRELOAD for testpmd: the ASan
    runtime when the plugin is sanitized), EVQ_SIM_ARGS
    (extra evq-sim arguments), EVQ_TEST_VERBOSE=1 -> VERBOSE (echo every
    command, line sent and output).
  Constants: PROMPT (testpmd's), STDBUF (line-buffering prefix, or []),
    SKIP (77, meson's skip code).
  Plugin: insecure_parent(path), loadable_plugin(path), plugin() -- EAL
    refuses a plugin below a world-writable directory; plugin() is EVQ_PMD,
    checked, or a private copy of it.
  Outcome: TestFailure, TestSkip, fail(msg), skip_unless_executable(path),
    env_executable(var).
  Processes: Proc(name, argv, stdin=False, env=None) with expect, expect_count,
    output, mark, since, send, dump, wait, send_signal, kill; run(argv,
    timeout, check) for a short command run to completion.
  devtools/vm guest: VM_PCI, VM_HOSTREQ (environment EVQ_VM_PCI,
    EVQ_VM_HOSTREQ), HostAdapter, adapter_env(sim); EAL_EXTRA (EVQ_EAL_EXTRA,
    added to every DPDK process).
  Rig: Env(name, tag) with dir, procs, cleanups, socket(i), vdevs(n, extra),
    port_name(i), device_args(vdevs),
    start_sim(n, wire, extra), new_file_prefix(name), file_prefix(),
    eal_args(...), testpmd(...), dpdk_app(...), run_pass_fail(...),
    telemetry_socket(prefix), cleanup(); eal_runtime_dir().
  Telemetry (a running DPDK process): telemetry(sock, command),
    telemetry_xstats(sock, port, proc).
  testpmd: wait_prompt, cmd, quit_testpmd, port_stats, xstats, wait_traffic,
    fwd_stats_after_stop.
  PASS/FAIL applications: report(proc, prefixes), expect_pass(rc, proc, what).
  Dispatch: main(tests, name, tag, helpers=None, requires=()).

Every wait is for a condition (a line of output, a socket file, a counter
above a threshold) with a deadline; nothing sleeps to synchronise.
"""

import atexit
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

SIM = os.environ.get("EVQ_SIM", "")
# Inside a devtools/vm guest: the adapter (evq-sim) runs on the host and its
# ports are these PCI functions (bound to vfio-pci, in socket order);
# EVQ_VM_HOSTREQ asks the host to signal it.
VM_PCI = os.environ.get("EVQ_VM_PCI", "").split()
VM_HOSTREQ = os.environ.get("EVQ_VM_HOSTREQ", "")
# EAL arguments added to every DPDK process (e.g. --iova-mode=pa)
EAL_EXTRA = os.environ.get("EVQ_EAL_EXTRA", "").split()
TESTPMD = os.environ.get("EVQ_TESTPMD", "/usr/bin/dpdk-testpmd")
# Debian's testpmd is not built with ASan: to load a sanitized plugin it
# runs with the ASan runtime preloaded (the ASan build's san_dpdk suite)
TESTPMD_PRELOAD = os.environ.get("EVQ_TESTPMD_PRELOAD", "")
VERBOSE = os.environ.get("EVQ_TEST_VERBOSE", "") == "1"
PROMPT = "testpmd> "
STDBUF = ["stdbuf", "-oL", "-eL"] if shutil.which("stdbuf") else []
SKIP = 77
PMD_LOG_LEVEL = "--log-level=pmd.net.evq:info"
NO_HUGE_256 = ("--no-huge", "-m", "256")
NO_HUGE_512 = ("--no-huge", "-m", "512")
# memory in a devtools/vm guest (vfio-pci; its kernel reserves hugepages)
VM_MEM = ("--in-memory", "-m", "256")


# ------------------------------------------------------------ outcome --

class TestFailure(Exception):
    pass


class TestSkip(Exception):
    """The test cannot run here (exit code 77 for meson)."""


def fail(msg):
    raise TestFailure(msg)


def skip_unless_executable(path):
    if not os.access(path, os.X_OK):
        raise TestSkip("%s not found" % path)


def env_executable(var):
    """The executable named by environment variable 'var', or a failure."""
    path = os.environ.get(var, "")
    if not path or not os.access(path, os.X_OK):
        fail("%s=%r is not executable" % (var, path))
    return path


# ------------------------------------------------------------- plugin --

def insecure_parent(path):
    """EAL refuses a plugin if the file or any parent directory is
    world-writable (a checkout under /tmp, say): name the first one."""
    d = os.path.dirname(os.path.abspath(path))
    while True:
        if os.stat(d).st_mode & 0o002:
            return d
        up = os.path.dirname(d)
        if up == d:
            return None
        d = up


def loadable_plugin(path):
    """A copy of the plugin in a private directory when the build tree sits
    below a world-writable directory, so that the tests run wherever the
    checkout is; the path itself otherwise. The copy goes at exit."""
    if not path or not os.path.exists(path) or insecure_parent(path) is None:
        return path
    for base in ("/run/evq-test", os.path.expanduser("~/.cache/evq-test")):
        try:
            os.makedirs(base, mode=0o755, exist_ok=True)
            if os.stat(base).st_mode & 0o002 or insecure_parent(base + "/x"):
                continue
            d = tempfile.mkdtemp(dir=base)
        except OSError:
            continue
        os.chmod(d, 0o755)
        copy = os.path.join(d, os.path.basename(path))
        shutil.copyfile(path, copy)
        os.chmod(copy, 0o644)
        atexit.register(shutil.rmtree, d, True)
        return copy
    return path


_plugin = None


def plugin():
    """EVQ_PMD, checked, as a path EAL's -d accepts (made once per process)."""
    global _plugin
    if _plugin is None:
        path = os.environ.get("EVQ_PMD", "")
        if not path or not os.path.isabs(path) or not os.path.exists(path):
            fail("EVQ_PMD=%r must be the absolute path of librte_net_evq.so" % path)
        _plugin = loadable_plugin(path)
    return _plugin


# ---------------------------------------------------------- processes --

class Proc:
    """A child in its own session whose merged stdout/stderr is collected
    by a thread. expect() consumes the output up to what it found."""

    def __init__(self, name, argv, stdin=False, env=None):
        self.name = name
        self.argv = argv
        if VERBOSE:
            print("+ " + " ".join(argv), flush=True)
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  start_new_session=True, env=env)
        self.buf = ""
        self.pos = 0          # expect() consumes from here
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

    def _await(self, found, timeout, what):
        """Wait until found() (called with the output locked) returns
        something other than None; return that. Fails at EOF or timeout."""
        deadline = time.monotonic() + timeout
        with self.cv:
            while True:
                result = found()
                if result is not None:
                    return result
                if self.eof:
                    self.dump()
                    fail("%s exited (rc %s) before %s" % (self.name, self.p.poll(), what))
                left = deadline - time.monotonic()
                if left <= 0:
                    self.dump()
                    fail("%s: timeout waiting for %s" % (self.name, what))
                self.cv.wait(left)

    def expect(self, pattern, timeout=20, what=None, since=None):
        """Wait for a regex in the output not yet consumed (or from 'since',
        a mark); consume up to it; return the match."""
        rx = re.compile(pattern, re.M)

        def found():
            m = rx.search(self.buf, self.pos if since is None else since)
            if m:
                self.pos = max(self.pos, m.end())
            return m
        return self._await(found, timeout, what or repr(pattern))

    def expect_count(self, pattern, count, timeout=20, what=None):
        """Wait until a regex occurs 'count' times in the whole output;
        consume nothing."""
        rx = re.compile(pattern, re.M)
        self._await(lambda: True if len(rx.findall(self.buf)) >= count else None,
                    timeout, what or repr(pattern))

    def output(self):
        with self.cv:
            return self.buf

    def since(self, pos):
        with self.cv:
            return self.buf[pos:]

    def mark(self):
        with self.cv:
            return len(self.buf)

    def send(self, line):
        if VERBOSE:
            print(">>> " + line, flush=True)
        try:
            self.p.stdin.write((line + "\n").encode())
            self.p.stdin.flush()
        except BrokenPipeError:
            # the process is gone: say how it ended and what it printed
            try:
                rc = self.p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                rc = "still running, stdin closed"
            self.t.join(5)
            self.dump()
            fail("%s exited (rc %s) before '%s'" % (self.name, rc, line))

    def dump(self):
        out = self.output()
        self.dumped_upto = len(out)     # Env.dump_adapters prints only what follows
        sys.stderr.write("----- %s output (tail) -----\n%s\n-----\n" %
                         (self.name, out[-6000:]))

    def wait(self, timeout):
        """The exit code; the output is complete once this returns."""
        try:
            rc = self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.dump()
            self.kill()
            fail("%s did not exit within %ss" % (self.name, timeout))
        self.t.join(5)
        return rc

    def send_signal(self, sig):
        if self.p.poll() is None:
            try:
                os.killpg(self.p.pid, sig)
            except ProcessLookupError:
                pass

    def kill(self, sig=signal.SIGKILL):
        self.send_signal(sig)
        try:
            self.p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass


def run(argv, timeout=30, check=True):
    """Run a short command to completion: (exit code, merged output)."""
    if VERBOSE:
        print("+ " + " ".join(argv), flush=True)
    try:
        r = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout)
    except subprocess.TimeoutExpired:
        fail("'%s' did not finish within %ss" % (" ".join(argv), timeout))
    out = r.stdout.decode("utf-8", "replace")
    if VERBOSE and out:
        sys.stdout.write(out)
    if check and r.returncode != 0:
        fail("'%s' failed (exit %d):\n%s" % (" ".join(argv), r.returncode, out))
    return r.returncode, out


# ---------------------------------------------------------------- rig --

class HostAdapter:
    """The adapter of a devtools/vm guest: evq-sim runs on the host with
    the rig's arguments (two ports on the pair wire); the signals a test
    sends it go through EVQ_VM_HOSTREQ. SIGTERM is not passed on (the host
    stops it at the end and keeps its counters in evq-sim.log)."""
    name = "evq-sim (on the host)"
    REQUESTS = {signal.SIGUSR1: "usr1", signal.SIGHUP: "hup", signal.SIGKILL: "kill"}

    def send_signal(self, sig):
        what = self.REQUESTS.get(sig)
        if what is not None:
            run([VM_HOSTREQ, what], timeout=30)

    def kill(self, sig=signal.SIGKILL):
        self.send_signal(sig)

    def wait(self, timeout):
        return 0

    def output(self):
        return ""

    def dump(self):
        pass


def adapter_env(sim):
    """Environment for a test application that toggles the adapter's links
    itself (test_intr_app lsc): the local evq-sim's pid, or the command
    that asks the host in a devtools/vm guest."""
    if isinstance(sim, HostAdapter):
        return {"EVQ_SIM_LINK_CMD": "%s usr1" % VM_HOSTREQ}
    return {"EVQ_SIM_PID": str(sim.p.pid)}


class Env:
    """One test's rig: a private directory (sockets), the processes to kill
    and the callables to run at the end, the EAL file prefixes it used
    (all "<tag><pid>_*", so that cleanup() finds their runtime dirs)."""

    def __init__(self, name="test", tag="evqt"):
        self.dir = tempfile.mkdtemp(prefix="evq-%s-" % name)   # 0700
        self.procs = []
        self.cleanups = []    # callables, run after the processes are gone
        self.prefix_stem = "%s%d_" % (tag, os.getpid())
        self.nprefix = 0
        self.prefix = None

    def socket(self, i):
        return os.path.join(self.dir, "evq%d.sock" % i)

    def vdevs(self, n=2, extra=""):
        """net_evq<i> on socket i, for i < n, with devargs 'extra'."""
        return ["net_evq%d,socket=%s%s" % (i, self.socket(i), extra) for i in range(n)]

    def start_sim(self, n=2, wire=None, extra=None, engine_cpu=None):
        """evq-sim with n ports (sockets 0..n-1); wire defaults to 'pair'
        for two ports; its engine thread pinned to engine_cpu if given and
        this process may run there; returns once every socket exists. In a
        devtools/vm guest: the host's adapter (HostAdapter), whatever wire,
        extra and engine_cpu."""
        if VM_PCI:
            if n > len(VM_PCI):
                fail("%d ports wanted, the guest has %d evq functions" % (n, len(VM_PCI)))
            return HostAdapter()
        if not SIM or not os.access(SIM, os.X_OK):
            fail("EVQ_SIM=%r is not an executable evq-sim" % SIM)
        argv = [SIM]
        for i in range(n):
            argv += ["--socket", self.socket(i)]
        if wire is None and n == 2:
            wire = "pair"
        if wire is not None:
            argv += ["--wire", wire]
        if engine_cpu is not None and engine_cpu in os.sched_getaffinity(0):
            argv += ["--cpu", str(engine_cpu)]
        argv += (os.environ.get("EVQ_SIM_ARGS", "").split() + (extra or []))
        # a killed adapter leaves its socket files: wait for fresh ones
        for i in range(n):
            if os.path.exists(self.socket(i)):
                os.unlink(self.socket(i))
        sim = Proc("evq-sim", argv)
        self.procs.append(sim)
        deadline = time.monotonic() + 30
        # ready = every socket exists (the sim listens before creating it)
        while not all(os.path.exists(self.socket(i)) for i in range(n)):
            if sim.p.poll() is not None:
                sim.dump()
                fail("evq-sim exited with %s at start" % sim.p.returncode)
            if time.monotonic() > deadline:
                sim.dump()
                fail("evq-sim did not create its sockets")
            with sim.cv:
                sim.cv.wait(0.05)
        return sim

    def port_name(self, i):
        """The device name the PMD logs for port i (vdev net_evq<i>, or the
        PCI function in a devtools/vm guest)."""
        return VM_PCI[i] if VM_PCI else "net_evq%d" % i

    def device_args(self, vdevs):
        """EAL arguments for these net_evq vdevs ("net_evqN,socket=PATH,..."):
        --vdev each; in a devtools/vm guest, -a with the PCI function of
        the socket's number and the same other devargs."""
        if not VM_PCI:
            return [a for v in vdevs for a in ("--vdev", v)]
        argv = []
        for v in vdevs:
            parts = v.split(",")[1:]
            sock = [p[len("socket="):] for p in parts if p.startswith("socket=")]
            idx = [i for i in range(len(VM_PCI)) if sock and self.socket(i) == sock[0]]
            if not idx:
                fail("no PCI function for %s" % v)
            argv += ["-a", ",".join([VM_PCI[idx[0]]] +
                                    [p for p in parts if not p.startswith("socket=")])]
        return argv

    def new_file_prefix(self, name=None):
        """A fresh EAL --file-prefix: <tag><pid>_<name or a number>."""
        self.nprefix += 1
        self.prefix = self.prefix_stem + (name if name is not None else str(self.nprefix))
        return self.prefix

    def file_prefix(self):
        """The EAL --file-prefix of the last DPDK process started."""
        return self.prefix

    def eal_args(self, lcores, mem=NO_HUGE_256, prefix=None, log=None, load_pmd=True):
        """EAL arguments loading the PMD (-d; not with load_pmd=False, for
        a PMD the EAL finds installed in its plugin directory), without
        PCI (but in the guest), with a fresh prefix."""
        if VM_PCI:
            argv = ["-l", lcores] + list(VM_MEM)
        else:
            argv = ["-l", lcores] + list(mem) + ["--no-pci"]
        argv += ["--file-prefix", self.new_file_prefix(prefix)]
        argv += ["-d", plugin()] if load_pmd else []
        return argv + ([log] if log else []) + EAL_EXTRA

    def testpmd(self, vdevs, app_args, eal_extra=None, mem=NO_HUGE_512, mbufs=32768,
                load_pmd=True):
        """dpdk-testpmd on lcores 0-1 with these vdevs, stdin for commands."""
        # testpmd prints results with stdio (block-buffered into a pipe)
        # and the prompt with write(): line-buffer stdio to keep the order
        argv = STDBUF + [TESTPMD] + self.eal_args("0-1", mem, log=PMD_LOG_LEVEL,
                                                  load_pmd=load_pmd)
        argv += eal_extra or []
        argv += self.device_args(vdevs)
        argv += ["--", "--total-num-mbufs=%d" % mbufs] + app_args
        env = None
        if TESTPMD_PRELOAD:
            # leaks are not checked: testpmd's own allocations are not freed
            # at exit; out-of-bounds accesses and UB in the plugin still abort
            env = dict(os.environ, LD_PRELOAD=TESTPMD_PRELOAD,
                       ASAN_OPTIONS="detect_leaks=0:abort_on_error=1")
        tp = Proc("testpmd", argv, stdin=True, env=env)
        self.procs.append(tp)
        return tp

    def dpdk_app(self, name, exe, lcores, vdevs, app_args=(), env=None, prefix=None,
                 log=None, load_pmd=True):
        """Another DPDK application loading the PMD (see env_executable);
        'log' an extra EAL --log-level argument (PMD_LOG_LEVEL, say)."""
        argv = [exe] + self.eal_args(lcores, prefix=prefix, log=log, load_pmd=load_pmd)
        argv += self.device_args(vdevs)
        if app_args:
            argv += ["--"] + list(app_args)
        p = Proc(name, argv, env=env)
        self.procs.append(p)
        return p

    def run_pass_fail(self, name, exe, lcores, vdevs, app_args=(), env=None,
                      prefix=None, timeout=90, log=None):
        """A DPDK application that ends with a PASS or FAIL line: run it to
        its end; (exit code, Proc). 'log' as for dpdk_app."""
        p = self.dpdk_app(name, exe, lcores, vdevs, app_args, env, prefix, log)
        p.expect(r"^(PASS|FAIL)$", timeout, "PASS/FAIL")
        return p.wait(30), p

    def telemetry_socket(self, prefix=None):
        """The EAL telemetry socket of the DPDK process started with file
        prefix 'prefix' (a name given to new_file_prefix), else the last."""
        full = self.prefix if prefix is None else self.prefix_stem + prefix
        return os.path.join(eal_runtime_dir(), full, "dpdk_telemetry.v2")

    def dump_adapters(self):
        """After a failure: the counters of each evq-sim still running
        (SIGHUP prints them), so that the log says where frames stopped,
        and the end of every other process's output."""
        for p in self.procs:
            if p.name != "evq-sim":
                out = p.output() if hasattr(p, "output") else ""
                out = out[getattr(p, "dumped_upto", 0):]
                if out.strip():
                    sys.stderr.write("----- %s output at the failure (tail) -----\n%s\n-----\n"
                                     % (p.name, out[-2500:]))
                continue
            if p.p.poll() is not None:      # an adapter already gone has nothing to print
                continue
            mark = p.mark()
            try:
                p.p.send_signal(signal.SIGHUP)
                p.expect(r"events: .*\n(?:.*\n)*?.*doorbells: .*$", 5,
                         "evq-sim's counters", since=mark)
            except (TestFailure, OSError):
                pass
            sys.stderr.write("----- evq-sim counters at the failure -----\n%s\n-----\n"
                             % p.since(mark)[-4000:])

    def cleanup(self):
        for p in reversed(self.procs):
            p.kill()
        for fn in reversed(self.cleanups):
            try:
                fn()
            except Exception as e:     # keep cleaning up
                sys.stderr.write("cleanup: %s\n" % e)
        shutil.rmtree(self.dir, ignore_errors=True)
        # EAL's runtime directories of this run's file prefixes
        rundir = eal_runtime_dir()
        try:
            for d in os.listdir(rundir):
                if d.startswith(self.prefix_stem):
                    shutil.rmtree(os.path.join(rundir, d), ignore_errors=True)
        except OSError:
            pass


def eal_runtime_dir():
    """Where EAL puts the runtime directories (<file prefix>/, with the
    telemetry socket): /var/run/dpdk for root, else $XDG_RUNTIME_DIR/dpdk."""
    if os.geteuid() == 0:
        return "/var/run/dpdk"
    return os.path.join(os.environ.get("XDG_RUNTIME_DIR", "/tmp"), "dpdk")


# ---------------------------------------------------------- telemetry --

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


def telemetry_xstats(sock_path, port=0, proc=None):
    """Port 'port''s xstats {name: value} read through the telemetry socket
    of a running DPDK process; a failure (after dumping 'proc', the process
    asked, if given) if it does not answer with some."""
    command = "/ethdev/xstats,%d" % port
    try:
        ans = telemetry(sock_path, command)
    except (OSError, ValueError) as e:
        if proc is not None:
            proc.dump()
        fail("telemetry %s: %s" % (sock_path, e))
    x = ans.get("/ethdev/xstats")
    if not isinstance(x, dict) or not x:
        fail("telemetry %s answered %s" % (command, ans))
    return x


# ------------------------------------------------------------ testpmd --

# testpmd's event callbacks print from another thread ("Port 0: link state
# change event") and may land between the characters of the prompt
# ("t" + "Port 0: ...\n" + "estpmd> "): accept a few whole lines in between (bounded, so a search stays cheap).
PROMPT_RX = r"(?:[^\n]*\n){0,4}?".join(re.escape(c) for c in PROMPT)


def wait_prompt(tp, timeout=60):
    tp.expect(PROMPT_RX, timeout, "testpmd prompt")


def cmd(tp, line, timeout=20):
    """Run an interactive command; return its output (up to the next prompt)."""
    start = tp.mark()
    tp.send(line)
    tp.expect(PROMPT_RX, timeout, "prompt after '%s'" % line, start)
    return tp.since(start)


def quit_testpmd(tp):
    tp.send("quit")
    tp.expect(r"Bye\.\.\.", 30, "testpmd's Bye")
    rc = tp.wait(30)
    if rc != 0:
        fail("testpmd exited with %d" % rc)


def port_stats(tp, port):
    out = cmd(tp, "show port stats %d" % port)
    rx = re.search(r"RX-packets:\s*(\d+)\s+RX-missed:\s*(\d+)\s+RX-bytes:\s*(\d+)", out)
    rxe = re.search(r"RX-errors:\s*(\d+)", out)
    tx = re.search(r"TX-packets:\s*(\d+)\s+TX-errors:\s*(\d+)\s+TX-bytes:\s*(\d+)", out)
    if not rx or not tx:
        fail("cannot parse 'show port stats %d':\n%s" % (port, out))
    return {"rx": int(rx.group(1)), "missed": int(rx.group(2)), "rx_bytes": int(rx.group(3)),
            "rx_errors": int(rxe.group(1)) if rxe else 0,
            "tx": int(tx.group(1)), "tx_errors": int(tx.group(2)), "tx_bytes": int(tx.group(3))}


def xstats(tp, port):
    out = cmd(tp, "show port xstats %d" % port)
    vals = {}
    for m in re.finditer(r"^(\w+):\s+(\d+)\s*$", out, re.M):
        vals[m.group(1)] = int(m.group(2))
    if not vals:
        fail("no xstats parsed:\n%s" % out)
    return vals


# The CPU for evq-sim's engine in a test that drives testpmd (Env.testpmd:
# main lcore on CPU 0, idle at its prompt; forwarding lcore on CPU 1). The
# engine spins like the forwarding lcore; left to the scheduler it can land
# on CPU 1 too, and the two then take turns by time slice: a loop test
# crawls at about a burst per 10 ms with nothing lost. devtools/bench pmd
# pins the same way.
SIM_CPU_BESIDE_TESTPMD = 0


# Between two polls of a running port's counters: each poll is a round
# trip through testpmd's main lcore and the adapter's control thread, and
# back-to-back polls keep CPU 0 busy, which can leave the adapter's engine
# to share CPU 1 with the forwarding lcore (a loop then crawls at a burst
# per time slice).
POLL_PACE_S = 0.02


def wait_traffic(tp, ports, minimum, timeout=20):
    """Poll port stats until every port received at least 'minimum' packets."""
    deadline = time.monotonic() + timeout
    while True:
        st = {p: port_stats(tp, p) for p in ports}
        if all(st[p]["rx"] >= minimum for p in ports):
            return st
        if time.monotonic() > deadline:
            # what each port's queues and the adapter counted, to tell a
            # stall (where the packets stopped) from a slow machine
            for p in ports:
                x = xstats(tp, p)
                print("port %d xstats at the deadline: %s" % (p, ", ".join(
                    "%s %d" % kv for kv in sorted(x.items()) if kv[1])), flush=True)
            fail("traffic below %d packets after %ss: %s" % (minimum, timeout, st))
        time.sleep(POLL_PACE_S)


def fwd_stats_after_stop(tp):
    """Run 'stop'; return ({port: counts}, output) from the forward statistics."""
    out = cmd(tp, "stop", timeout=30)
    res = {}
    for m in re.finditer(r"Forward statistics for port (\d+)\s*-+\s*\n\s*RX-packets:\s*(\d+)"
                         r"\s+RX-dropped:\s*(\d+)\s+RX-total:\s*(\d+)\s*\n\s*"
                         r"TX-packets:\s*(\d+)\s+TX-dropped:\s*(\d+)", out):
        res[int(m.group(1))] = {"rx": int(m.group(2)), "tx": int(m.group(5)),
                                "tx_dropped": int(m.group(6))}
    if len(res) < 2:
        fail("cannot parse forward statistics:\n%s" % out)
    return res, out


# ------------------------------------------------ PASS/FAIL applications --

def report(p, prefixes):
    """Print the application's lines that start with one of 'prefixes'."""
    for line in p.output().splitlines():
        if line.startswith(prefixes):
            print(line)


def expect_pass(rc, p, what):
    if rc != 0 or not re.search(r"^PASS$", p.output(), re.M):
        p.dump()
        fail("%s failed (rc %s)" % (what, rc))


# ----------------------------------------------------------- dispatch --

def _on_sigterm(signum, frame):
    # meson's timeout: fail through the normal path so that cleanup runs
    raise TestFailure("terminated by signal %d (timeout?)" % signum)


def main(tests, name, tag, helpers=None, requires=()):
    """sys.argv[1] names one test of 'tests' (a function taking an Env) or a
    helper of 'helpers' (called with the remaining arguments). Exit code:
    0 passed, 1 failed, 2 usage, 77 skipped (also when an executable of
    'requires' is missing)."""
    if helpers and len(sys.argv) >= 2 and sys.argv[1] in helpers:
        return helpers[sys.argv[1]](*sys.argv[2:])
    if len(sys.argv) != 2 or sys.argv[1] not in tests:
        sys.stderr.write("usage: %s {%s}\n" % (sys.argv[0], "|".join(tests)))
        return 2
    for exe in requires:
        if not os.access(exe, os.X_OK):
            print("SKIP: %s not found" % exe)
            return SKIP
    signal.signal(signal.SIGTERM, _on_sigterm)
    env = Env(name, tag)
    try:
        tests[sys.argv[1]](env)
    except TestSkip as e:
        print("SKIP: %s" % e)
        return SKIP
    except TestFailure as e:
        sys.stderr.write("FAIL: %s\n" % e)
        env.dump_adapters()
        return 1
    finally:
        env.cleanup()
    return 0
