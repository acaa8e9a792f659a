#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The evq authors
"""
net_evq_pci under Linux vfio-pci in a QEMU guest (suite 'vm'). One guest
boot (devtools/vm: evq-sim on the host with two ports on the pair wire,
QEMU's vfio-user-pci, the guest kernel's vfio-pci) runs every check in
turn; the host then reads the guest's results and the rig's logs.

    vm_test.py pci          (meson) boot the guest, run the checks in it,
                            check evq-sim's counters and QEMU's log
    vm_test.py guest        (inside the guest) the checks, one line each

The checks in the guest reuse the other suites' drivers through
evq_testlib's guest mode (EVQ_VM_PCI: the adapter's ports are PCI
functions, evq-sim is signalled through the host):
  fwd_va, fwd_pa  testpmd io forwarding between the two functions with
                  --iova-mode=va / pa: counts match both ways, nothing lost
                  at the wire right after 'start tx_first' (at the first start
                  and again right after 'port stop/start all'), no driver error
                  seen by the adapter (DMA fault, illegal access, bad
                  doorbell or tail)
  lsc             intr suite's lsc (link toggled by the adapter: one
                  vector-0 MSI-X interrupt and one LSC event per change),
                  and the guest kernel's /proc/interrupts counts vector 0
  storm           intr suite's Rx-interrupt storm (no lost event/wake-up)
  l3fwd_power     l3fwd_power suite's one_queue (--interrupt-only, no loss)
  adapter_killed  evq-sim killed under testpmd traffic: link down and
                  removal events in the guest, testpmd quits cleanly (last:
                  the adapter is gone afterwards)

Skips (77) only where the rig cannot be built: not root, no debootstrap
target (devtools/vm --prepare fails), or inside one of the DPDK-version
chroots (EVQ_IN_VERSION_CHROOT=1: a guest booted from there would not see
the host's DPDK). Environment (meson): EVQ_ROOT, EVQ_BUILD_DIR, EVQ_SIM,
EVQ_PMD, EVQ_INTR_TEST_APP, EVQ_RATEGEN; by hand: EVQ_VM_KEEP=DIR keeps
the run directory there, EVQ_VM_CHECKS="lsc storm" runs only those.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
TEST_EVQ = os.path.dirname(HERE)
for sub in ("", "intr", "pmd", "l3fwd_power"):
    sys.path.insert(0, os.path.join(TEST_EVQ, sub))
import evq_testlib  # noqa: E402
from evq_testlib import (Env, TestFailure, TestSkip, fail, cmd, wait_prompt,  # noqa: E402
                         quit_testpmd, wait_traffic, fwd_stats_after_stop, xstats,
                         port_stats)

SKIP = 77
ROOT = os.environ.get("EVQ_ROOT", os.path.normpath(os.path.join(TEST_EVQ, "..", "..")))

# QEMU warnings accepted in qemu.log (anything else from QEMU fails):
ACCEPTED_QEMU = [
    # once per function at realize: vfio-user has no AER error-recovery
    # channel; irrelevant to a guest that never injects PCIe errors
    r"warning: vfio .*: Could not enable error recovery for the device",
]


# ------------------------------------------------------------- guest --

def adapter_errors(x):
    return {k: x.get(k, 0) for k in ("hw_dma_faults", "hw_illegal_accesses",
                                     "hw_bad_doorbells", "hw_bad_tails")}


def g_fwd(env, iova):
    """testpmd io forwarding port 0 <-> port 1 with --iova-mode=<iova>."""
    evq_testlib.EAL_EXTRA[:] = ["--iova-mode=%s" % iova]
    try:
        return fwd(env, iova)
    finally:
        evq_testlib.EAL_EXTRA[:] = []


def first_frames(tp, what):
    """'start tx_first' and wait until the 32 frames each port sends first
    have reached the other port; returns the seconds it took."""
    before = [port_stats(tp, p)["rx"] for p in (0, 1)]
    t0 = time.monotonic()
    cmd(tp, "start tx_first", 60)
    deadline = t0 + 30
    while True:
        s0, s1 = port_stats(tp, 0), port_stats(tp, 1)
        if s0["rx"] >= before[0] + 32 and s1["rx"] >= before[1] + 32:
            return time.monotonic() - t0
        if time.monotonic() > deadline:
            fail("%s: the first frames never arrived (race at start tx_first?): %s / %s" %
                 (what, s0, s1))


def no_drops(tp, res):
    """Nothing lost anywhere since the adapter's reset: testpmd's Tx (the
    first burst of 'start tx_first' included), the adapter's Tx and either
    end of the wire; no driver error seen by the adapter."""
    x = {p: xstats(tp, p) for p in (0, 1)}
    for p in (0, 1):
        drops = {"testpmd tx_dropped": res[p]["tx_dropped"]}
        drops.update({k: x[p].get(k, 0) for k in ("hw_tx_errors", "hw_rx_filtered",
                                                  "hw_rx_missed", "hw_rx_errors")})
        if any(drops.values()):
            fail("port %d: frames dropped: %s" % (p, drops))
        if any(adapter_errors(x[p]).values()):
            fail("port %d: the adapter saw driver errors: %s" % (p, adapter_errors(x[p])))
    return x


def fwd(env, iova):
    env.start_sim(2)
    tp = env.testpmd(env.vdevs(2), ["-i", "--forward-mode=io", "--burst=32"])
    wait_prompt(tp, 120)
    if not re.search(r"Selected IOVA mode '%s'" % iova.upper(), tp.output()):
        tp.dump()
        fail("EAL did not select IOVA mode %s" % iova.upper())
    t0 = time.monotonic()
    first = first_frames(tp, "first start")
    wait_traffic(tp, [0, 1], 200000, timeout=120)
    secs = time.monotonic() - t0
    res, out = fwd_stats_after_stop(tp)
    rx0, tx0, rx1, tx1 = res[0]["rx"], res[0]["tx"], res[1]["rx"], res[1]["tx"]
    x = no_drops(tp, res)
    print("  fwd %s: port0 rx %d tx %d, port1 rx %d tx %d in %.1f s (first frames back "
          "after %.2f s)" % (iova, rx0, tx0, rx1, tx1, secs, first))
    print("  hw: port0 tx %d rx %d missed %d, port1 tx %d rx %d missed %d" %
          (x[0].get("hw_tx_packets", 0), x[0].get("hw_rx_packets", 0),
           x[0].get("hw_rx_missed", 0), x[1].get("hw_tx_packets", 0),
           x[1].get("hw_rx_packets", 0), x[1].get("hw_rx_missed", 0)))
    if min(rx0, rx1, tx0, tx1) < 200000:
        fail("too little traffic: %s" % res)
    # what one port sends the other receives: at most what is in flight at
    # 'stop' (rings and the wire) may be missing
    inflight = 4096
    if not (tx0 - inflight <= rx1 <= tx0 and tx1 - inflight <= rx0 <= tx1):
        fail("counts do not match across the wire: %s" % res)
    # again right after the ports restart, where dev_start's control writes
    # and the first doorbells are closest (BAR0 writes are posted by QEMU)
    cmd(tp, "port stop all", 60)
    cmd(tp, "port start all", 60)
    again = first_frames(tp, "after a port restart")
    res2, _ = fwd_stats_after_stop(tp)
    no_drops(tp, res2)
    print("  after a port restart: first frames back after %.2f s" % again)
    quit_testpmd(tp)
    return {"rx0": rx0, "tx0": tx0, "rx1": rx1, "tx1": tx1, "seconds": round(secs, 2),
            "first_s": round(first, 2), "restart_first_s": round(again, 2)}


def vfio_msix_counts():
    """{line name: count summed over the CPUs} of the vfio-msix lines of
    /proc/interrupts (e.g. "vfio-msix[0](0000:00:03.0)")."""
    counts = {}
    with open("/proc/interrupts") as f:
        for line in f:
            parts = line.split()
            if "vfio-msix" in line:
                counts[parts[-1]] = sum(int(p) for p in parts[1:] if p.isdigit())
    return counts


def g_lsc(env):
    """intr suite's lsc on port 0; meanwhile the guest kernel's count of
    the function's vector 0 is sampled (the lines exist only while the
    application holds the vectors)."""
    import threading
    import intr_test
    os.environ["EVQ_INTR_APP"] = os.environ["EVQ_INTR_TEST_APP"]
    name = "vfio-msix[0](%s)" % evq_testlib.VM_PCI[0]
    peak = {"count": 0}
    done = threading.Event()

    def sample():
        while not done.wait(0.02):
            peak["count"] = max(peak["count"], vfio_msix_counts().get(name, 0))
    t = threading.Thread(target=sample, daemon=True)
    t.start()
    try:
        intr_test.t_lsc(env)
    finally:
        done.set()
        t.join()
    print("  guest /proc/interrupts: %s reached %d" % (name, peak["count"]))
    # two link changes, each one vector-0 interrupt (the application's
    # xstats checked one per change); the kernel saw them too
    if peak["count"] < 2:
        fail("the guest kernel counted %d interrupts on %s, expected >= 2" %
             (peak["count"], name))
    return {"proc_interrupts_vector0": peak["count"]}


def g_storm(env):
    import intr_test
    os.environ["EVQ_INTR_APP"] = os.environ["EVQ_INTR_TEST_APP"]
    intr_test.t_storm(env)
    return {}


def g_l3fwd_power(env):
    import evq_l3fwd_power_test
    evq_l3fwd_power_test.t_one_queue(env)
    return {}


def g_adapter_killed(env):
    import evq_pmd_test
    evq_pmd_test.t_sim_killed(env)
    return {}


GUEST_CHECKS = [
    ("fwd_va", lambda env: g_fwd(env, "va")),
    ("fwd_pa", lambda env: g_fwd(env, "pa")),
    ("lsc", g_lsc),
    ("storm", g_storm),
    ("l3fwd_power", g_l3fwd_power),
    ("adapter_killed", g_adapter_killed),
]


def selected():
    """The checks to run: all, or those named in EVQ_VM_CHECKS (a subset,
    to work on one by hand)."""
    names = os.environ.get("EVQ_VM_CHECKS", "").split()
    return [(n, fn) for n, fn in GUEST_CHECKS if not names or n in names]


def guest():
    """Run the checks in the guest; print one 'check NAME: ok|FAIL|SKIP'
    line each and write results.json to the run directory."""
    out = os.environ.get("EVQ_VM_OUT", "")
    if not evq_testlib.VM_PCI or not out:
        sys.stderr.write("vm_test.py guest: not in a devtools/vm guest\n")
        return 2
    results = {}
    for name, fn in selected():
        if name == "adapter_killed":
            # the adapter's counters before it dies (SIGHUP: evq-sim prints them)
            evq_testlib.HostAdapter().send_signal(signal.SIGHUP)
        env = Env("vm-" + name, "evqvm")
        t0 = time.monotonic()
        print("=== %s" % name, flush=True)
        try:
            figures = fn(env) or {}
            res = {"result": "ok", "figures": figures}
        except TestSkip as e:
            res = {"result": "skip", "why": str(e)}
        except TestFailure as e:
            res = {"result": "fail", "why": str(e)}
        except Exception:
            res = {"result": "fail", "why": traceback.format_exc()}
        finally:
            env.cleanup()
        res["seconds"] = round(time.monotonic() - t0, 1)
        results[name] = res
        print("check %s: %s (%.1f s)%s" % (name, res["result"], res["seconds"],
                                           ": " + res["why"] if "why" in res else ""),
              flush=True)
        with open(os.path.join(out, "results.json"), "w") as f:
            json.dump(results, f, indent=1)
    return 0 if all(r["result"] == "ok" for r in results.values()) else 1


# -------------------------------------------------------------- host --

def skip(why):
    print("SKIP: %s" % why)
    return SKIP


def last_stats_block(log, port):
    """The last counters evq-sim printed for a port before it died."""
    blocks = re.findall(r"^port %d \(.*\n((?:  .*\n)+)" % port, log, re.M)
    return blocks[-1] if blocks else ""


def qemu_abort_after_kill(out):
    """QEMU 11.1's vfio-user client can abort on its own assertion when its
    server dies (adapter_killed kills evq-sim on purpose): seen about once
    in five runs as "util/error.c: error_setv: Assertion `*errp == NULL'
    failed" in qemu.log after the kill. Returns that line, or ''."""
    try:
        with open(os.path.join(out, "requests.log")) as f:
            m = re.search(r" kill qemu\.log=(\d+)", f.read())
        with open(os.path.join(out, "qemu.log"), errors="replace") as f:
            qlog = f.read()
    except OSError:
        return ""
    if not m:
        return ""
    a = re.search(r"^.*error_setv: Assertion .*failed\.$", qlog[int(m.group(1)):], re.M)
    return a.group(0).strip() if a else ""


def host():
    if os.environ.get("EVQ_IN_VERSION_CHROOT") == "1":
        return skip("inside a DPDK-version chroot (EVQ_IN_VERSION_CHROOT=1): the guest "
                    "boots the host's root and would not run this chroot's DPDK")
    if os.geteuid() != 0:
        return skip("devtools/vm needs root (chroot, vfio, hugepages)")
    vm = os.path.join(ROOT, "devtools", "vm")
    r = subprocess.run([vm, "--prepare"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, timeout=1800)
    if r.returncode != 0:
        return skip("the VM rig cannot be built here (devtools/vm --prepare failed):\n" +
                    r.stdout.decode(errors="replace")[-2000:])
    keep = os.environ.get("EVQ_VM_KEEP", "")
    out = keep or tempfile.mkdtemp(prefix="evq-vm-test.")
    env = dict(os.environ, EVQ_BUILD=os.environ.get("EVQ_BUILD_DIR", "build"))
    guest_cmd = ["env"] + ["%s=%s" % (k, os.environ[k]) for k in
                           ("EVQ_PMD", "EVQ_INTR_TEST_APP", "EVQ_RATEGEN", "EVQ_ROOT",
                            "EVQ_VM_CHECKS") if k in os.environ] + \
                ["python3", os.path.abspath(__file__), "guest"]
    t0 = time.monotonic()
    r = subprocess.run([vm, "--no-build", "--out", out, "--timeout", "540",
                        "--sim-args", "--wire pair --queues 4", "--"] + guest_cmd,
                       env=env, stdin=subprocess.DEVNULL)
    wall = time.monotonic() - t0
    failures = []
    try:
        with open(os.path.join(out, "guest.log")) as f:
            glog = f.read()
    except OSError:
        glog = ""
    sys.stdout.write(glog)
    try:
        with open(os.path.join(out, "results.json")) as f:
            results = json.load(f)
    except (OSError, ValueError):
        results = {}
    qemu_died = qemu_abort_after_kill(out)
    for name, _ in selected():
        res = results.get(name, {"result": "missing"})
        if name == "adapter_killed" and res["result"] == "missing" and qemu_died:
            # QEMU's defect, not the guest driver's: the check cannot finish
            # once QEMU is gone. Said loudly; every other check still counts.
            print("NOTICE: guest check adapter_killed did not finish: QEMU aborted "
                  "after losing its vfio-user server (%s); the checks before it "
                  "are judged as usual" % qemu_died)
            continue
        if res["result"] != "ok":
            failures.append("guest check %s: %s %s" % (name, res["result"],
                                                       res.get("why", "")))
    if r.returncode not in (0, 1) and not qemu_died:
        failures.append("devtools/vm exited with %d (124 timeout, 125 rig)" % r.returncode)
    # the adapter's counters just before it was killed
    with open(os.path.join(out, "evq-sim.log"), errors="replace") as f:
        slog = f.read()
    for port in (0, 1):
        b = last_stats_block(slog, port)
        print("evq-sim port %d before the kill:\n%s" % (port, b), end="")
        m = re.search(r"bad: (\d+) EQ (\d+) tail; trapped: .*; illegal (\d+), DMA faults (\d+)", b)
        if not m:
            failures.append("no counters of port %d in evq-sim.log" % port)
        elif any(int(v) for v in m.groups()):
            failures.append("port %d: bad doorbells/tails, illegal accesses or DMA faults: %s"
                            % (port, m.group(0)))
        w = re.search(r"tx: \d+ packets \d+ bytes, drops: (\d+) errors \(.*?\) (\d+) wire", b)
        if not w:
            failures.append("no Tx counters of port %d in evq-sim.log" % port)
        elif int(w.group(1)) or int(w.group(2)):
            failures.append("port %d: the adapter dropped transmitted frames: %s" %
                            (port, w.group(0)))
    if re.search(r"refused|error", slog, re.I):
        for line in slog.splitlines():
            if re.search(r"refused|error", line, re.I) and "errors" not in line:
                failures.append("evq-sim: %s" % line)
    # QEMU: no vfio-user error (accepted warnings listed above)
    with open(os.path.join(out, "qemu.log"), errors="replace") as f:
        qlog = f.read()
    # After adapter_killed QEMU has lost its vfio-user server on purpose:
    # every later access fails ("Broken pipe", "Bad address") and at the
    # guest's power-off QEMU stops with "DMA mapping failed": only the log
    # up to the kill is checked.
    try:
        with open(os.path.join(out, "requests.log")) as f:
            m = re.search(r" kill qemu\.log=(\d+)", f.read())
    except OSError:
        m = None
    if m:
        after = qlog[int(m.group(1)):]
        qlog = qlog[:int(m.group(1))]
        print("qemu.log after the adapter was killed: %d lines (not checked)" %
              len(after.splitlines()))
    for line in qlog.splitlines():
        if not line.strip() or any(re.search(a, line) for a in ACCEPTED_QEMU):
            continue
        failures.append("QEMU: %s" % line)
    print("guest run: %.0f s wall (boot, %d checks, power off); run directory %s" %
          (wall, len(selected()), out))
    if failures:
        for f in failures:
            sys.stderr.write("FAIL: %s\n" % f)
        sys.stderr.write("logs kept in %s\n" % out)
        return 1
    if not keep:
        shutil.rmtree(out, ignore_errors=True)
    print("vm: ok")
    return 0


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in ("pci", "guest"):
        sys.stderr.write("usage: vm_test.py pci|guest\n")
        return 2
    return guest() if sys.argv[1] == "guest" else host()


if __name__ == "__main__":
    sys.exit(main())
