#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The evq authors
"""
net_evq end-to-end tests: evq-sim (the adapter, its own process) and
Debian's dpdk-testpmd with the PMD loaded as a plugin (-d), driven through
stdin. One test per invocation: evq_pmd_test.py <test> (see TESTS).

Environment (meson sets them): EVQ_SIM (evq-sim binary), EVQ_PMD (absolute
path of librte_net_evq.so), EVQ_TESTPMD (default /usr/bin/dpdk-testpmd),
EVQ_SIM_ARGS (extra sim arguments), EVQ_TEST_VERBOSE=1 (echo all output).

The rig (processes, evq-sim, testpmd, cleanup) and the testpmd helpers are
app/test-evq/evq_testlib.py. Every wait is for a condition (a line of
output, a socket file, a counter above a threshold) with a deadline;
nothing sleeps to synchronise.

The tap test runs this script again inside network namespaces as a small
helper (see HELPERS): --tcp-server ADDR PORT, --tcp-client ADDR PORT BYTES,
--ping ADDR (when iputils ping is absent). Exit code 77 = skipped.
"""

import os
import re
import shutil
import signal
import sys
import threading
import time

# the shared driver infrastructure lives in app/test-evq/evq_testlib.py
sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from evq_testlib import (TESTPMD, TestSkip, fail, env_executable,  # noqa: E402
                         Proc, run, cmd, wait_prompt, quit_testpmd, port_stats,
                         xstats, wait_traffic, fwd_stats_after_stop, report,
                         expect_pass, main, plugin, STDBUF, POLL_PACE_S,
                         SIM_CPU_BESIDE_TESTPMD)


# ---------------------------------------------------------------- tests --

def t_info(env):
    env.start_sim(engine_cpu=SIM_CPU_BESIDE_TESTPMD)
    tp = env.testpmd(env.vdevs(), ["-i", "--rxq=2", "--txq=2"])
    wait_prompt(tp)
    out = cmd(tp, "show port info 0")
    for pat in (r"Driver name: net_evq", r"Link status: up", r"Max possible RX queues: 16",
                r"Max possible TX queues: 15", r"Maximum configurable length of RX packet: 9018",
                r"Supported RSS offload flow types:[\s\S]*ipv4-udp",
                r"Redirection table size: 128", r"Hash key size in bytes: 40"):
        if not re.search(pat, out):
            fail("'show port info 0' lacks /%s/:\n%s" % (pat, out))
    out = cmd(tp, "show port info 1")
    if "Driver name: net_evq" not in out:
        fail("port 1 is not net_evq:\n%s" % out)
    out = cmd(tp, "show port summary all")
    if not re.search(r"net_evq", out):
        fail("summary lacks net_evq:\n%s" % out)
    out = cmd(tp, "show port 0 rxq 0 desc 0 status")
    if "Desc status" not in out:
        fail("rx descriptor status not reported:\n%s" % out)
    out = cmd(tp, "show rxq info 0 1")
    for pat in (r"Number of RXDs: 1024", r"Burst mode: Scalar, event queue", r"Rx queue state: started"):
        if not re.search(pat, out):
            fail("'show rxq info 0 1' lacks /%s/:\n%s" % (pat, out))
    out = cmd(tp, "show txq info 1 0")
    for pat in (r"Number of TXDs: 1024", r"Burst mode: Scalar, event queue", r"Tx queue state: started"):
        if not re.search(pat, out):
            fail("'show txq info 1 0' lacks /%s/:\n%s" % (pat, out))
    out = cmd(tp, "show port 0 rx_offload capabilities")
    if "RSS_HASH" not in out:
        fail("no RSS_HASH Rx offload:\n%s" % out)
    # without scatter, a jumbo MTU that does not fit the buffers is refused
    out = cmd(tp, "port config mtu 0 9000")
    if "do not fit" not in out or "Set MTU failed" not in out:
        fail("MTU 9000 without scatter not refused clearly:\n%s" % out)
    quit_testpmd(tp)
    print("info: ok")


PHASE_LOG = r"eq_validity=phase: the queue EQs use the phase bit"


def t_fwd(env, mode, queues=1, devargs="", expect_log=None, minimum=1000000,
          phase=False):
    """Forward between the two ports of the pair wire. phase: the queue EQs
    are on the phase validity rule (devarg eq_validity=phase): the adapter
    then learns of free space only from the read counts the driver
    publishes, so it must have taken many doorbell words, and never have
    overflowed an EQ."""
    sim = env.start_sim(engine_cpu=SIM_CPU_BESIDE_TESTPMD)
    args = ["-i", "--forward-mode=%s" % mode, "--burst=32"]
    if queues > 1:
        # several flows so that RSS spreads them over the Rx queues: the
        # flows differ in the IP source up to DPDK 23.03 and in the UDP
        # source port from 23.07, so hash on the UDP 4-tuple (--rss-udp)
        args += ["--rxq=%d" % queues, "--txq=%d" % queues, "--txonly-multi-flow",
                 "--rss-udp"]
    tp = env.testpmd(env.vdevs(extra=devargs), args)
    wait_prompt(tp)
    cmd(tp, "start tx_first")
    st = wait_traffic(tp, [0, 1], minimum, timeout=60)
    if expect_log and not re.search(expect_log, tp.output()):
        fail("no /%s/ in testpmd's log" % expect_log)
    res, out = fwd_stats_after_stop(tp)
    rx0, tx0, rx1, tx1 = res[0]["rx"], res[0]["tx"], res[1]["rx"], res[1]["tx"]
    print("%s fwd: port0 rx %d tx %d, port1 rx %d tx %d" % (mode, rx0, tx0, rx1, tx1))
    if min(rx0, rx1, tx0, tx1) < minimum:
        fail("too little traffic: %s" % res)
    # On the pair wire what one port sends the other receives; at most the
    # packets in flight at 'stop' (rings, wire) may be missing.
    inflight = 4096
    if not (tx0 - inflight <= rx1 <= tx0 and tx1 - inflight <= rx0 <= tx1):
        fail("counts do not match across the wire: %s" % res)
    s0, s1 = port_stats(tp, 0), port_stats(tp, 1)
    print("port stats: %s / %s" % (s0, s1))
    x0 = xstats(tp, 0)
    for k in ("rx_q0_eq_events", "tx_q0_eq_events", "rx_q0_tail_doorbells",
              "tx_q0_tail_doorbells", "hw_rx_packets", "hw_tx_packets"):
        if x0.get(k, 0) == 0:
            fail("xstat %s is 0 after traffic: %s" % (k, x0))
    for q in range(queues):
        for p in (0, 1):
            xp = x0 if p == 0 else xstats(tp, 1)
            if xp.get("rx_q%d_packets" % q, 0) == 0:
                fail("port %d Rx queue %d got nothing (RSS over %d queues)" % (p, q, queues))
    if queues > 1:
        print("per-queue Rx on port 0: %s" % [x0.get("rx_q%d_packets" % q) for q in range(queues)])
    if x0.get("hw_bad_doorbells", 0) or x0.get("hw_bad_tails", 0) or \
            x0.get("hw_dma_faults", 0) or x0.get("hw_illegal_accesses", 0):
        fail("the adapter saw driver errors: %s" % x0)
    if phase:
        # a read count published every 64 events at most (fewer with a
        # quarter of a smaller EQ): a doorbell word per burst or so
        for p, xp in ((0, x0), (1, xstats(tp, 1))):
            events = sum(v for k, v in xp.items() if re.match(r"[rt]x_q\d+_eq_events$", k))
            if xp.get("hw_eq_doorbells", 0) < events // 256:
                fail("port %d: the adapter took %d doorbell words for %d events: the "
                     "driver does not publish its read count" %
                     (p, xp.get("hw_eq_doorbells", 0), events))
            if xp.get("hw_events_lost", 0) or xp.get("eq_overflows", 0):
                fail("port %d: EQ overflow while the driver kept up: %s" % (p, xp))
            print("port %d: %d EQ events, %d doorbell words taken by the adapter"
                  % (p, events, xp.get("hw_eq_doorbells", 0)))
    quit_testpmd(tp)
    sim.kill()


def t_fwd_io(env):
    t_fwd(env, "io", queues=2)


def t_fwd_mac(env):
    t_fwd(env, "mac")


def t_fwd_phase(env):
    """io forwarding with the queue EQs on the phase validity rule: 2 queues
    per port in the default layout, then eq_layout=lcore (Rx and Tx events
    on one EQ, published as one read count)."""
    t_fwd(env, "io", queues=2, devargs=",eq_validity=phase", expect_log=PHASE_LOG,
          phase=True)
    print("phase, queue layout: ok")
    t_fwd(env, "io", queues=2, devargs=",eq_validity=phase,eq_layout=lcore",
          expect_log=PHASE_LOG, minimum=200000, phase=True)
    print("phase, lcore layout: ok")


def t_phase_refused(env):
    """An adapter without phase-bit EQs (evq-sim --no-phase, no
    EVQ_CAP_PHASE_VALID): eq_validity=phase fails the probe with a clear
    error; eq_validity=clear (and the default) works on it."""
    env.start_sim(engine_cpu=SIM_CPU_BESIDE_TESTPMD, extra=["--no-phase"])
    tp = env.testpmd(env.vdevs(extra=",eq_validity=phase"), ["-i"])
    tp.expect(r"eq_validity=phase: the adapter has no phase-bit event queues "
              r"\(EVQ_CAP_PHASE_VALID\)", 30, "the capability error")
    wait_prompt(tp)
    out = cmd(tp, "show port summary all")
    if re.search(r"net_evq", out):
        fail("a port was probed with eq_validity=phase on an adapter without it:\n%s" % out)
    quit_testpmd(tp)
    tp = env.testpmd(env.vdevs(extra=",eq_validity=clear"), ["-i"])
    wait_prompt(tp)
    out = cmd(tp, "show port summary all")
    if len(re.findall(r"^\d+\s+\S+\s+net_evq\d\s", out, re.M)) != 2:
        fail("eq_validity=clear on an adapter without phase EQs:\n%s" % out)
    quit_testpmd(tp)
    print("phase refused: ok")


def t_layouts(env):
    """The event-queue layouts (devarg eq_layout) forward like the default:
    lcore (Rx queue q and Tx queue q on one EQ: rx_burst meets the Tx
    completions, tx_burst stops at Rx events) and single (every queue on
    EQ 1: a burst stops at another queue's event), 2 queues per port, io
    forwarding on testpmd's one forwarding lcore (the layouts' rule).
    200k packets per port: with RSS alternating the flows between the two
    Rx queues of one EQ, single makes short bursts (driver guide)."""
    for layout in ("lcore", "single"):
        t_fwd(env, "io", queues=2, devargs=",eq_layout=" + layout,
              expect_log=r"eq_layout=%s: " % layout, minimum=200000)
        print("layout %s: ok" % layout)


def t_control(env):
    env.start_sim(engine_cpu=SIM_CPU_BESIDE_TESTPMD)
    tp = env.testpmd(env.vdevs(), ["-i", "--rxq=2", "--txq=2", "--forward-mode=io",
                                   "--enable-scatter"])
    wait_prompt(tp)
    # traffic, then stop/start the port and a queue pair, traffic again
    cmd(tp, "start tx_first")
    wait_traffic(tp, [0, 1], 5000)
    cmd(tp, "stop")
    out = cmd(tp, "port stop 0")
    if "Stopping ports" not in out:
        fail("port stop: %s" % out)
    out = cmd(tp, "show port info 0")
    out = cmd(tp, "port start 0")
    cmd(tp, "clear port stats all")
    cmd(tp, "port 0 rxq 1 stop")
    cmd(tp, "port 0 txq 1 stop")
    cmd(tp, "port 0 rxq 1 start")
    cmd(tp, "port 0 txq 1 start")
    cmd(tp, "start tx_first")
    wait_traffic(tp, [0, 1], 5000)
    cmd(tp, "stop")
    # RSS: the adapter's table through the RETA API, key and hash types
    out = cmd(tp, "port config 0 rss reta (0,1),(1,0),(2,1)")
    if "error" in out.lower() or "fail" in out.lower():
        fail("reta update: %s" % out)
    out = cmd(tp, "show port 0 rss reta 128 (0xffffffffffffffff,0xffffffffffffffff)")
    m = re.search(r"hash index=0, queue=(\d+)", out)
    m1 = re.search(r"hash index=1, queue=(\d+)", out)
    m3 = re.search(r"hash index=3, queue=(\d+)", out)
    if not m or m.group(1) != "1" or not m1 or m1.group(1) != "0" or not m3 or m3.group(1) != "1":
        fail("RETA readback wrong:\n%s" % out)
    out = cmd(tp, "show port 0 rss-hash key")
    if "6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa" \
            not in out.replace(" ", "").lower():
        fail("default RSS key not reported:\n%s" % out)
    key = "00" * 40
    out = cmd(tp, "port config 0 rss-hash-key ipv4 " + key)
    out = cmd(tp, "show port 0 rss-hash key")
    if key not in out.replace(" ", ""):
        fail("RSS key update not read back:\n%s" % out)
    # jumbo frames: 3-segment 6000-byte packets out, scattered Rx in
    # (restart the ports first: nothing of the 64-byte traffic may remain)
    for c in ("port stop all", "port start all", "port config mtu 0 9000", "port config mtu 1 9000", "set txpkts 2000,2000,2000"):
        out = cmd(tp, c)
        if re.search(r"[Ff]ail|[Ee]rror|[Ii]nvalid", out):
            fail("'%s': %s" % (c, out))
    cmd(tp, "clear port stats all")
    cmd(tp, "start tx_first")
    st = wait_traffic(tp, [0, 1], 20000)
    cmd(tp, "stop")
    for p in (0, 1):
        s = port_stats(tp, p)
        if s["rx"] == 0 or s["rx_bytes"] != 6000 * s["rx"] or s["rx_errors"] != 0:
            fail("jumbo traffic on port %d: %s" % (p, s))
    print("jumbo multi-segment: %s" % port_stats(tp, 0))
    cmd(tp, "set txpkts 64")
    # filters, MTU, MAC
    for c in ("set promisc 0 off", "set promisc 0 on", "set allmulti 0 on",
              "set allmulti 0 off", "port config mtu 0 1500", "port config mtu 1 1500",
              "mac_addr set 0 02:00:00:00:00:42"):
        out = cmd(tp, c)
        if re.search(r"[Ff]ail|[Ee]rror|not supported", out):
            fail("'%s': %s" % (c, out))
    out = cmd(tp, "show port info 0")
    if "02:00:00:00:00:42" not in out:
        fail("MAC not updated:\n%s" % out)
    if not re.search(r"Firmware-version: \d+\.\d+\.\d+", out):
        fail("no firmware version:\n%s" % out)
    x = xstats(tp, 0)
    for k in ("eq0_events", "eq0_arms", "hw_admin_commands"):
        if k not in x:
            fail("xstat %s missing" % k)
    cmd(tp, "clear port xstats 0")
    # link down / up through the adapter's management command: LSC events
    mark = tp.mark()
    cmd(tp, "set link-down port 0")
    tp.expect(r"Port 0: link state change event", 10, "LSC event after link-down", mark)
    out = cmd(tp, "show port info 0")
    if "Link status: down" not in out:
        fail("link not down:\n%s" % out)
    mark = tp.mark()
    cmd(tp, "set link-up port 0")
    tp.expect(r"Port 0: link state change event", 10, "LSC event after link-up", mark)
    # reset and reconfigure
    cmd(tp, "port stop 0")
    out = cmd(tp, "port reset 0")
    out = cmd(tp, "port start 0")
    out = cmd(tp, "show port info 0")
    if "Link status: up" not in out:
        fail("port 0 not up after reset:\n%s" % out)
    quit_testpmd(tp)
    print("control: ok")


def t_sim_killed(env):
    sim = env.start_sim(engine_cpu=SIM_CPU_BESIDE_TESTPMD)
    tp = env.testpmd(env.vdevs(), ["-i", "--forward-mode=io"])
    wait_prompt(tp)
    cmd(tp, "start tx_first")
    wait_traffic(tp, [0, 1], 2000)
    mark = tp.mark()
    sim.kill(signal.SIGKILL)
    for port in (0, 1):
        tp.expect(r"%s: device removed: " % re.escape(env.port_name(port)), 15,
                  "port %d removal noticed" % port, mark)
        tp.expect(r"Port %d: link state change event" % port, 15,
                  "LSC event for port %d" % port, mark)
        tp.expect(r"Port %d: device removal event" % port, 15,
                  "RMV event for port %d" % port, mark)
    # testpmd's RMV handler stops, closes and detaches each port
    tp.expect(r"Now total ports is 0", 30, "both ports detached", mark)
    # testpmd stays usable
    out = cmd(tp, "show port summary all")
    cmd(tp, "stop")
    quit_testpmd(tp)
    out = tp.output()
    if "Segmentation fault" in out or "Aborted" in out:
        fail("crash after removal")
    print("sim killed: ok")


def t_hotplug(env):
    """Hot detach and re-attach a port; then lose the adapter, start a new
    one on the same sockets and attach both ports again."""
    sim = env.start_sim(engine_cpu=SIM_CPU_BESIDE_TESTPMD)
    tp = env.testpmd(env.vdevs(), ["-i", "--forward-mode=io"])
    wait_prompt(tp)
    for c in ("port stop 1", "port close 1"):
        cmd(tp, c)
    out = cmd(tp, "device detach net_evq1")
    if "Device net_evq1 is detached" not in out:
        fail("detach: %s" % out)
    out = cmd(tp, "port attach net_evq1,socket=%s" % env.socket(1))
    if "Port 1 is attached" not in out:
        fail("attach: %s" % out)
    cmd(tp, "port start 1")
    cmd(tp, "start tx_first")
    wait_traffic(tp, [0, 1], 100000)
    cmd(tp, "stop")
    # the adapter goes away: testpmd detaches both ports (RMV events)
    mark = tp.mark()
    sim.kill(signal.SIGKILL)
    tp.expect(r"Now total ports is 0", 30, "both ports detached", mark)
    # a new adapter process on the same sockets: attach again
    env.start_sim(engine_cpu=SIM_CPU_BESIDE_TESTPMD)
    for i in (0, 1):
        out = cmd(tp, "port attach net_evq%d,socket=%s" % (i, env.socket(i)))
        if "is attached" not in out:
            fail("re-attach %d: %s" % (i, out))
    cmd(tp, "port start all")
    cmd(tp, "start tx_first")
    wait_traffic(tp, [0, 1], 100000)
    cmd(tp, "stop")
    quit_testpmd(tp)
    print("hotplug: ok")


def t_bad_devargs(env):
    env.start_sim(engine_cpu=SIM_CPU_BESIDE_TESTPMD)
    sock = ",socket=%s" % env.socket(0)
    for devargs, error in (
            (sock + ",bogus=1", r"cannot parse devargs"),
            (sock + ",eq0_size=100", r"expected a power-of-two integer"),
            (sock + ",intr_mode=sometimes", r"intr_mode=sometimes: expected armed or timestamp"),
            (sock + ",intr_mode=timestamp", r"intr_mode=timestamp needs intr_delay_ns > 0"),
            (sock + ",eq_layout=port", r"eq_layout=port: expected queue, lcore or single"),
            (sock + ",eq_validity=odd", r"eq_validity=odd: expected clear or phase"),
            (sock + ",eq_validity=phase,read_publish=0",
             r"eq_validity=phase needs read_publish > 0"),
            ("", r"devarg socket=<path> is required")):
        tp = env.testpmd(["net_evq0" + devargs], ["-i"])
        tp.expect(error, 30, "devargs error /%s/" % error)
        wait_prompt(tp)
        quit_testpmd(tp)
    print("bad devargs: ok")


def t_no_socket(env):
    path = os.path.join(env.dir, "absent.sock")
    tp = env.testpmd(["net_evq0,socket=%s" % path], ["-i"])
    tp.expect(r"does not exist: start the adapter first", 30, "missing-socket error")
    wait_prompt(tp)
    quit_testpmd(tp)
    # a stale socket file nobody listens on
    import socket as so
    s = so.socket(so.AF_UNIX, so.SOCK_STREAM)
    stale = os.path.join(env.dir, "stale.sock")
    s.bind(stale)
    s.close()
    tp = env.testpmd(["net_evq0,socket=%s" % stale], ["-i"])
    tp.expect(r"nobody listens on", 30, "stale-socket error")
    wait_prompt(tp)
    quit_testpmd(tp)
    # something that is not a vfio-user device: answers garbage, hangs up
    bogus = os.path.join(env.dir, "bogus.sock")
    srv = so.socket(so.AF_UNIX, so.SOCK_STREAM)
    srv.bind(bogus)
    srv.listen(4)

    def refuse():
        while True:
            try:
                c, _ = srv.accept()
            except OSError:
                return
            c.recv(4096)
            c.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\n")
            c.close()
    threading.Thread(target=refuse, daemon=True).start()
    tp = env.testpmd(["net_evq0,socket=%s" % bogus], ["-i"])
    tp.expect(r"refused the vfio-user VERSION handshake", 30, "handshake error")
    wait_prompt(tp)
    quit_testpmd(tp)
    srv.close()
    print("no socket: ok")


class ForeignDevice:
    """A vfio-user server (enough of vfio-user.rst for the PMD's probe) for
    a PCI function with the evq vendor and device IDs whose ID register
    is not evq's: everything a client sends is recorded."""
    REPLY, ERROR = 0x1, 0x20
    REGIONS = {0: (16384, 0x3), 2: (4096, 0x7), 7: (256, 0x3)}  # size, READ|WRITE|MMAP

    def __init__(self, path):
        import socket as so
        self.so = so
        self.received = []      # (command name, region or None)
        self.srv = so.socket(so.AF_UNIX, so.SOCK_STREAM)
        self.srv.bind(path)
        self.srv.listen(1)
        self.bar2 = os.memfd_create("foreign-bar2")
        os.ftruncate(self.bar2, 4096)
        threading.Thread(target=self.serve, daemon=True).start()

    def reply(self, c, hdr, payload=b"", fds=()):
        import struct
        msg_id, command = struct.unpack_from("<HH", hdr)
        out = struct.pack("<HHIII", msg_id, command, 16 + len(payload), self.REPLY, 0)
        self.so.send_fds(c, [out + payload], list(fds))

    def serve(self):
        import struct
        try:
            c, _ = self.srv.accept()
        except OSError:
            return
        names = {1: "VERSION", 2: "DMA_MAP", 3: "DMA_UNMAP", 4: "GET_INFO",
                 5: "GET_REGION_INFO", 7: "GET_IRQ_INFO", 8: "SET_IRQS",
                 9: "REGION_READ", 10: "REGION_WRITE", 13: "DEVICE_RESET"}
        while True:
            try:
                hdr, fds, _, _ = self.so.recv_fds(c, 16, 64)
                if len(hdr) < 16:
                    return
                _, command, size, _, _ = struct.unpack("<HHIII", hdr)
                body = b""
                while len(body) < size - 16:
                    chunk, more, _, _ = self.so.recv_fds(c, size - 16 - len(body), 64)
                    if not chunk:
                        return
                    body += chunk
                    fds += more
            except OSError:
                return
            for fd in fds:
                os.close(fd)
            region = None
            if command in (9, 10):
                region = struct.unpack_from("<QII", body)[1]
            self.received.append((names.get(command, str(command)), region))
            if command == 1:        # VERSION: the server's limits, as proposed
                caps = b'{"capabilities":{"max_msg_fds":8,"max_data_xfer_size":1048576,' \
                    b'"max_dma_maps":1024,"pgsizes":4096}}\0'
                self.reply(c, hdr, struct.pack("<HH", 0, 1) + caps)
            elif command == 4:      # PCI | RESET, 9 regions, 5 IRQ types
                self.reply(c, hdr, struct.pack("<IIII", 16, 3, 9, 5))
            elif command == 5:
                index = struct.unpack_from("<I", body, 8)[0]
                size, flags = self.REGIONS.get(index, (0, 0))
                self.reply(c, hdr, struct.pack("<IIIIQQ", 32, flags, index, 0, size, 0),
                           [self.bar2] if flags & 0x4 else [])
            elif command == 7:      # MSI-X: 32 eventfd vectors
                index = struct.unpack_from("<I", body, 8)[0]
                self.reply(c, hdr, struct.pack("<IIII", 16, 0x9, index,
                                               32 if index == 2 else 0))
            elif command == 9:
                offset, region, count = struct.unpack_from("<QII", body)
                data = bytearray(count)
                if region == 7 and offset == 0 and count >= 4:
                    data[0:4] = struct.pack("<HH", 0x1de5, 0xe0e0)
                if region == 0 and offset == 0 and count >= 4:
                    data[0:4] = struct.pack("<I", 0x12345678)   # not EVQ_ID_VALUE
                self.reply(c, hdr, body[:16] + bytes(data))
            elif command == 10:
                self.reply(c, hdr, body[:16])
            elif command == 3:
                self.reply(c, hdr, body[:24])
            else:
                self.reply(c, hdr)

    def close(self):
        self.srv.close()
        os.close(self.bar2)


def t_foreign_device(env):
    """A function with the evq PCI IDs whose ID register is not evq's: the
    probe fails naming the register, and the driver writes nothing to it:
    no BAR0 or doorbell write, no reset (only the command register in the
    config space, which it needs to read BAR0 at all)."""
    path = os.path.join(env.dir, "foreign.sock")
    dev = ForeignDevice(path)
    env.cleanups.append(dev.close)
    tp = env.testpmd(["net_evq0,socket=%s" % path], ["-i"])
    tp.expect(r"not an evq adapter: ID register 0x12345678", 30, "identification error")
    wait_prompt(tp)
    quit_testpmd(tp)
    print("the foreign device received: %s" % dev.received)
    if ("REGION_READ", 0) not in dev.received:
        fail("the ID register was never read: %s" % dev.received)
    written = [r for r in dev.received if r in (("REGION_WRITE", 0), ("REGION_WRITE", 2))
               or r[0] == "DEVICE_RESET"]
    if written:
        fail("the driver wrote to a device it did not identify: %s" % written)
    print("foreign device: ok")


def t_intr(env, devargs=""):
    app = env_executable("EVQ_INTR_APP")
    env.start_sim()
    rc, p = env.run_pass_fail("test_pmd_app", app, "0", env.vdevs(extra=devargs),
                              prefix="intr")
    report(p, ("arms ", "LSC events", "FAIL", "mbuf:", "timestamps:", "monitor:"))
    expect_pass(rc, p, "test_pmd_app")
    print("intr: ok")
    return p


def t_intr_phase(env):
    """test_pmd_app (Rx interrupts: exactly one wake-up per arm, arming with
    events pending signals at once, no wake-up without traffic; mbuf
    fields, time stamps, the power-monitor condition after the EQ has
    wrapped; LSC) with the queue EQs on the phase validity rule."""
    p = t_intr(env, devargs=",eq_validity=phase")
    # the watched entry still holds an event of the previous lap: nothing
    # cleared it (under the clear rule it reads 0)
    m = re.search(r"watched control word 0x([0-9a-f]+)", p.output())
    if not m or int(m.group(1), 16) == 0:
        fail("the Rx EQ's entries were cleared: not on the phase rule (%s)" %
             (m.group(0) if m else "no monitor line"))


def t_tx_fast_free(env):
    """Tx with RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE (testpmd and most
    applications ask for it when offered): evq-test-pmd-app sends 8192
    frames, half of them chains of three segments, from a pool of 512
    mbufs over the pair wire; all arrive in order, and afterwards every
    mbuf is back in the pool once, unlinked (next NULL, one segment)."""
    app = env_executable("EVQ_INTR_APP")
    env.start_sim()
    rc, p = env.run_pass_fail("test_pmd_app", app, "0", env.vdevs(), app_args=["fast_free"],
                              prefix="fastfree")
    report(p, ("fast_free:", "FAIL"))
    expect_pass(rc, p, "test_pmd_app fast_free")
    print("tx_fast_free: ok")


# ------------------------------------------ tap: two network namespaces --

TAP_NET = "10.99.0."
TAP_NET6 = "fd00:99::"
TAP_MACS = ("02:99:00:00:00:01", "02:99:00:00:00:02")
TAP_TCP_BYTES = 8 << 20


def helper(*args):
    """This script run as a helper (inside a namespace): see helper_main."""
    return [sys.executable, os.path.abspath(__file__)] + list(args)


def tap_setup(env, mtu=None):
    """Two network namespaces A and B, each with one of the sim's ports as
    a TAP interface: port i's TAP in namespace i, 10.99.0.<i+1>/24 and
    fd00:99::<i+1>/64 with a fixed MAC (and 'mtu' if given).
    Returns (ip command, [namespace A, namespace B])."""
    ip = shutil.which("ip")
    if ip is None:
        raise TestSkip("no 'ip' command (iproute2)")
    tag = "%d" % (os.getpid() % 1000000)
    ns = ["evqA" + tag, "evqB" + tag]
    for n in ns:
        rc, out = run([ip, "netns", "add", n], check=False)
        if rc != 0:
            raise TestSkip("cannot create network namespace %s: %s" % (n, out.strip()))
        env.cleanups.append(lambda n=n: run([ip, "netns", "del", n], check=False))
    if not os.path.exists("/dev/net/tun"):
        raise TestSkip("no /dev/net/tun")
    taps = ["et%s_%d" % (tag, i) for i in (0, 1)]
    env.start_sim(wire="tap", extra=["--tap-name", "et%s_%%u" % tag])
    for i in (0, 1):
        run([ip, "link", "set", taps[i], "netns", ns[i]])
        run([ip, "-n", ns[i], "link", "set", taps[i], "address", TAP_MACS[i]])
        if mtu is not None:
            run([ip, "-n", ns[i], "link", "set", taps[i], "mtu", str(mtu)])
        run([ip, "-n", ns[i], "addr", "add", "%s%d/24" % (TAP_NET, i + 1), "dev", taps[i]])
        run([ip, "-n", ns[i], "addr", "add", "%s%d/64" % (TAP_NET6, i + 1), "dev", taps[i],
             "nodad"])
        run([ip, "-n", ns[i], "link", "set", taps[i], "up"])
        run([ip, "-n", ns[i], "link", "set", "lo", "up"])
    return ip, ns, taps


def set_peers(tp):
    """A frame received on port p leaves on the other port with that
    port's peer MAC as destination: the namespace behind it."""
    for port in (0, 1):
        out = cmd(tp, "set eth-peer %d %s" % (port, TAP_MACS[port]))
        if re.search(r"[Ee]rror|[Ii]nvalid|[Bb]ad", out):
            fail("set eth-peer: %s" % out)


def t_tap(env, devargs=""):
    """The sim's two ports are TAP interfaces, each in its own network
    namespace; testpmd mac-forwards between them, so it is the wire between
    the namespaces: ping and a TCP transfer go through the PMD and the sim."""
    ip, ns, taps = tap_setup(env)
    tp = env.testpmd(env.vdevs(extra=devargs), ["-i", "--forward-mode=mac", "--burst=32"])
    wait_prompt(tp)
    set_peers(tp)
    out = cmd(tp, "show config fwd")
    if "mac packet forwarding" not in out:
        fail("not in mac forwarding mode:\n%s" % out)
    cmd(tp, "clear port stats all")
    cmd(tp, "start")
    # ping across
    if shutil.which("ping"):
        pargv = ["ping", "-c", "5", "-i", "0.2", "-W", "5"]
    else:
        pargv = helper("--ping")    # iputils-ping absent: the same in Python
    rc, out = run([ip, "netns", "exec", ns[0]] + pargv + [TAP_NET + "2"], timeout=60,
                  check=False)
    m = re.search(r"(\d+) packets transmitted, (\d+) (packets )?received", out)
    if rc != 0 or not m or m.group(2) != "5":
        fail("ping %s2 from namespace %s failed (exit %d):\n%s\nport stats: %s / %s"
             % (TAP_NET, ns[0], rc, out, port_stats(tp, 0), port_stats(tp, 1)))
    print("ping: %s" % m.group(0))
    # TCP: a few MB from A to B, checked by length and SHA-256 at both ends
    srv = Proc("tcp-server", [ip, "netns", "exec", ns[1]] +
               helper("--tcp-server", TAP_NET + "2", "5201"))
    env.procs.append(srv)
    srv.expect(r"^listening", 20, "TCP server ready")
    t0 = time.monotonic()
    rc, out = run([ip, "netns", "exec", ns[0]] +
                  helper("--tcp-client", TAP_NET + "2", "5201", str(TAP_TCP_BYTES)),
                  timeout=90, check=False)
    dt = time.monotonic() - t0
    m = re.search(r"^sent (\d+) bytes sha256 (\w+)", out, re.M)
    if rc != 0 or not m:
        fail("TCP client failed (exit %d):\n%s" % (rc, out))
    srv.expect(r"^received (\d+) bytes sha256 (\w+)", 30, "TCP server result")
    ms = re.search(r"^received (\d+) bytes sha256 (\w+)", srv.output(), re.M)
    if srv.wait(10) != 0 or ms.group(1) != m.group(1) or ms.group(2) != m.group(2) or \
            int(m.group(1)) != TAP_TCP_BYTES:
        fail("TCP data differ: client '%s', server '%s'" % (m.group(0), ms.group(0)))
    print("tcp: %d bytes A -> B in %.2f s (%.1f Mbit/s), sha256 equal"
          % (TAP_TCP_BYTES, dt, TAP_TCP_BYTES * 8 / dt / 1e6))
    res, out = fwd_stats_after_stop(tp)
    s0, s1 = port_stats(tp, 0), port_stats(tp, 1)
    print("forwarded: port0 -> port1 %d packets, port1 -> port0 %d packets"
          % (res[1]["tx"], res[0]["tx"]))
    print("port stats: %s / %s" % (s0, s1))
    # A -> B carries the data (and ping requests), B -> A the acks (and replies)
    if s0["rx_bytes"] < TAP_TCP_BYTES or s1["tx_bytes"] < TAP_TCP_BYTES:
        fail("A -> B bytes below the transfer: %s / %s" % (s0, s1))
    if s1["rx"] < 100 or s0["tx"] < 100:
        fail("B -> A too few packets: %s / %s" % (s0, s1))
    if res[1]["tx"] < res[0]["rx"] * 0.99 or res[0]["tx"] < res[1]["rx"] * 0.99 or \
            res[0]["tx_dropped"] + res[1]["tx_dropped"] > 10:
        fail("testpmd did not forward what it received: %s" % res)
    x = xstats(tp, 0)
    if x.get("hw_dma_faults", 0) or x.get("hw_illegal_accesses", 0) or \
            x.get("hw_bad_doorbells", 0):
        fail("the adapter saw driver errors: %s" % x)
    quit_testpmd(tp)
    print("tap: ok")
    return tp


def t_tap_phase(env):
    """tap with the queue EQs on the phase validity rule: the 8 MB TCP
    transfer arrives with the same SHA-256 through the PMD and the sim."""
    tp = t_tap(env, devargs=",eq_validity=phase")
    if not re.search(PHASE_LOG, tp.output()):
        fail("the driver did not select the phase rule")


# ------------------------------- secondary: proc-info and dumpcap attach --

PROC_INFO = "/usr/bin/dpdk-proc-info"
DUMPCAP = "/usr/bin/dpdk-dumpcap"
SECONDARY_MEM_MB = 64
CAPTURE_PACKETS = 200
SECONDARY_MIN_PACKETS = 20000


def primary_preload(exe):
    """dpdk-dumpcap takes no -d: the plugin is preloaded (its constructors
    register the driver as -d would). The libraries of EAL's plugin
    directory that the primary links directly are preloaded first, in the
    primary's order: mempool drivers are numbered in the order they
    register, and the number is what the processes share (Debian's testpmd
    links librte_mempool_dpaa; without this, dumpcap's pool means another
    driver to testpmd)."""
    rc, out = run(["ldd", exe], check=False)
    libs = [m.group(1) for m in re.finditer(r"=>\s+(\S+/dpdk/pmds-[^/\s]+/\S+)", out)]
    return ":".join(libs + [plugin()])


def proc_info(env, prefix, args):
    """Debian's dpdk-proc-info as a secondary of the primary 'prefix'."""
    rc, out = run([PROC_INFO, "--file-prefix", prefix, "--no-pci", "-d", plugin(),
                   "--log-level=pmd.net.evq:info", "--"] + args, timeout=60, check=False)
    if rc != 0:
        fail("dpdk-proc-info %s exited with %d:\n%s" % (" ".join(args), rc, out))
    return out


def proc_info_stats(out, port):
    """RX/TX packets and bytes of 'port' from dpdk-proc-info --stats."""
    m = re.search(r"NIC statistics for port %d\s*#+\s*\n\s*RX-packets:\s*(\d+)\s+RX-errors:\s*"
                  r"(\d+)\s+RX-bytes:\s*(\d+)\s*\n[\s\S]*?TX-packets:\s*(\d+)\s+TX-errors:\s*(\d+)"
                  r"\s+TX-bytes:\s*(\d+)" % port, out)
    if not m:
        fail("cannot parse dpdk-proc-info --stats for port %d:\n%s" % (port, out))
    return {"rx": int(m.group(1)), "rx_errors": int(m.group(2)), "rx_bytes": int(m.group(3)),
            "tx": int(m.group(4)), "tx_errors": int(m.group(5)), "tx_bytes": int(m.group(6))}


def proc_info_xstats(out, port):
    m = re.search(r"NIC extended statistics for port %d\s*#+\s*\n#+\s*\n"
                  r"([\s\S]*?)(?:#{6}|\Z)" % port, out)
    if not m:
        fail("cannot parse dpdk-proc-info --xstats for port %d:\n%s" % (port, out))
    vals = {k: int(v) for k, v in re.findall(r"^\s*(\w+):\s+(\d+)\s*$", m.group(1), re.M)}
    if not vals:
        fail("no xstats in dpdk-proc-info --xstats for port %d:\n%s" % (port, out))
    return vals


def read_pcap(path):
    """(header magic, [frames]) of a classic pcap file."""
    import struct
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        fail("capture %s is %d bytes" % (path, len(data)))
    magic = struct.unpack("<I", data[:4])[0]
    if magic not in (0xa1b2c3d4, 0xa1b23c4d):
        fail("capture %s is not a little-endian pcap (magic 0x%08x)" % (path, magic))
    frames, off = [], 24
    while off + 16 <= len(data):
        incl, orig = struct.unpack("<II", data[off + 8:off + 16])
        frames.append((data[off + 16:off + 16 + incl], orig))
        off += 16 + incl
    return magic, frames


def check_ipv4_udp(frame):
    """testpmd's txonly frame: Ethernet, IPv4 with a valid header checksum,
    UDP; returns (src, dst) or a reason."""
    if len(frame) < 42 or frame[12:14] != b"\x08\x00" or frame[14] != 0x45 or frame[23] != 17:
        return None
    hdr = frame[14:34]
    s = sum((hdr[i] << 8) | hdr[i + 1] for i in range(0, 20, 2))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    if s != 0xffff:
        return None
    return ".".join(map(str, frame[26:30])), ".".join(map(str, frame[30:34]))


def kickstart(tp):
    """Frames into the loop, then io forwarding: testpmd's 'start tx_first'
    sends nothing in its multi-process mode, so txonly runs until both
    ports have sent a few rings' worth."""
    cmd(tp, "set fwd txonly")
    cmd(tp, "start")
    deadline = time.monotonic() + 30
    while min(port_stats(tp, p)["tx"] for p in (0, 1)) < 2048:
        if time.monotonic() > deadline:
            fail("txonly sent nothing: %s %s" % (port_stats(tp, 0), port_stats(tp, 1)))
    cmd(tp, "stop", timeout=30)
    cmd(tp, "set fwd io")
    cmd(tp, "start")


def reta_all(tp, queue):
    """Every RETA entry of both ports to 'queue' (testpmd's list of entries
    is one string of at most 128 characters: 12 entries per command)."""
    for port in (0, 1):
        for first in range(0, 128, 12):
            out = cmd(tp, "port config %d rss reta %s" % (port, ",".join(
                "(%d,%d)" % (i, queue) for i in range(first, min(first + 12, 128)))))
            if re.search(r"[Ff]ail|[Ee]rror|[Ii]nvalid|[Bb]ad", out):
                fail("RETA to queue %d: %r" % (queue, out))


def dumpcap_count(out):
    """dpdk-dumpcap's "Packets captured: N" (rewritten in place with
    backspaces: the last number is the latest)."""
    m = re.search(r"Packets captured:([ \b\d]*)", out)
    return int(re.findall(r"\d+", m.group(1))[-1]) if m and re.search(r"\d", m.group(1)) else 0


def t_secondary(env):
    """A testpmd primary on hugepages forwards over evq-sim; Debian's
    dpdk-proc-info and dpdk-dumpcap attach to its net_evq ports as DPDK
    secondary processes: same counters as testpmd, a pcap of the traffic,
    and the primary forwarding on after they exit."""
    for exe in (PROC_INFO, DUMPCAP):
        if not os.access(exe, os.X_OK):
            raise TestSkip("%s not found" % exe)
    if not hugetlbfs_mounts():
        raise TestSkip("no hugetlbfs mounted (secondary processes need hugepages)")
    if free_hugepage_mb() < SECONDARY_MEM_MB + 32:
        raise TestSkip("%d MB of free hugepages, %d needed"
                       % (free_hugepage_mb(), SECONDARY_MEM_MB + 32))
    env.start_sim(engine_cpu=SIM_CPU_BESIDE_TESTPMD)
    # testpmd's multi-process mode: this primary forwards queue 0, a
    # secondary testpmd later queue 1; the RETA says which queue gets traffic
    tp = env.testpmd(env.vdevs(), ["-i", "--forward-mode=io", "--burst=32", "--rxq=2",
                                   "--txq=2", "--num-procs=2", "--proc-id=0"],
                     mem=("--single-file-segments", "-m", str(SECONDARY_MEM_MB)), mbufs=8192)
    wait_prompt(tp)
    prefix = env.file_prefix()
    reta_all(tp, 0)
    kickstart(tp)
    wait_traffic(tp, [0, 1], SECONDARY_MIN_PACKETS, timeout=60)
    cmd(tp, "stop", timeout=30)
    # 1. counters: with forwarding stopped, the secondary reads what testpmd reads
    out = proc_info(env, prefix, ["--stats"])
    xout = proc_info(env, prefix, ["--xstats"])
    for port in (0, 1):
        mine, theirs = port_stats(tp, port), proc_info_stats(out, port)
        for k in ("rx", "rx_bytes", "tx", "tx_bytes", "rx_errors", "tx_errors"):
            if mine[k] != theirs[k]:
                fail("port %d %s: testpmd %d, dpdk-proc-info %d" % (port, k, mine[k], theirs[k]))
        xt, xp = xstats(tp, port), proc_info_xstats(xout, port)
        if set(xt) != set(xp) or any(xt[k] != xp[k] for k in xt):
            fail("port %d xstats differ:\ntestpmd %s\nproc-info %s" % (port, xt, xp))
        if xp.get("hw_rx_packets", 0) < SECONDARY_MIN_PACKETS or \
                xp.get("rx_q0_packets", 0) < SECONDARY_MIN_PACKETS:
            fail("port %d: the secondary reads no traffic: %s" % (port, xp))
    print("proc-info: stats and %d xstats per port equal to testpmd's (port 0 rx %d)"
          % (len(xp), port_stats(tp, 0)["rx"]))
    # a reset from the secondary reaches the driver's and the adapter's counters
    proc_info(env, prefix, ["--stats-reset"])
    s0, x0 = port_stats(tp, 0), xstats(tp, 0)
    if s0["rx"] != 0 or s0["tx"] != 0 or x0.get("hw_rx_packets", 1) != 0:
        fail("stats not reset by dpdk-proc-info --stats-reset: %s %s" % (s0, x0))
    print("proc-info --stats-reset: testpmd reads 0")
    # 2. dumpcap captures what testpmd forwards on net_evq0
    cmd(tp, "start")
    wait_traffic(tp, [0, 1], 10000)
    cap = os.path.join(env.dir, "evq0.pcap")
    env_dc = dict(os.environ, LD_PRELOAD=primary_preload(TESTPMD))
    # dumpcap runs until told to stop, and is stopped only once the primary
    # forwards no more. DPDK's capture callbacks in the primary copy each
    # burst into dumpcap's mbuf pool and free there what dumpcap's ring
    # cannot take. With -c N, dumpcap exits and frees its pool while the
    # primary still forwards; on DPDK 24.11 about one run in 50 the
    # primary then ran DPAA mempool code (Debian's testpmd links
    # librte_mempool_dpaa, mempool driver 0), printed
    # "process_portal_map(): Unknown error -19" and exited.
    dc = Proc("dumpcap", [DUMPCAP, "--file-prefix=%s" % prefix, "-i", "net_evq0",
                          "-P", "-w", cap], env=env_dc)
    env.procs.append(dc)
    deadline = time.monotonic() + 60
    while dumpcap_count(dc.output()) < CAPTURE_PACKETS:
        if dc.p.poll() is not None or time.monotonic() > deadline:
            dc.dump()
            fail("dpdk-dumpcap did not capture %d frames (rc %s)" % (CAPTURE_PACKETS,
                                                                    dc.p.poll()))
        time.sleep(0.05)
    cmd(tp, "stop", timeout=30)
    dc.send_signal(signal.SIGINT)
    rc = dc.wait(60)
    if rc != 0:
        dc.dump()
        fail("dpdk-dumpcap exited with %s" % rc)
    said = dumpcap_count(dc.output())
    magic, frames = read_pcap(cap)
    if len(frames) < CAPTURE_PACKETS or said != len(frames):
        fail("dumpcap wrote %d frames and reported %d:\n%s" % (len(frames), said,
                                                                dc.output()))
    bad = [i for i, (f, orig) in enumerate(frames)
           if orig != 64 or check_ipv4_udp(f) != ("198.18.0.1", "198.18.0.2")]
    if bad:
        fail("%d of %d captured frames are not testpmd's 64-byte IPv4/UDP frames "
             "(first: %s)" % (len(bad), len(frames), frames[bad[0]][0].hex()))
    print("dumpcap: %d frames of net_evq0, all 64-byte IPv4/UDP 198.18.0.1 -> 198.18.0.2 "
          "with valid IP checksums" % len(frames))
    # 3. a secondary testpmd forwards queue 1 of both ports (testpmd's
    # multi-process mode) while the RETA sends every frame to queue 1
    reta_all(tp, 1)
    # lcore ids 2 and 3 on the same CPUs: an lcore id names a mempool
    # cache, and the primary's lcores 0 and 1 use theirs
    sec = Proc("testpmd-secondary", STDBUF + [TESTPMD, "--lcores", "2@0,3@1",
                                              "--proc-type=secondary",
                                              "--no-pci", "--file-prefix", prefix, "-d", plugin(),
                                              "--", "-i", "--rxq=2", "--txq=2", "--num-procs=2",
                                              "--proc-id=1"], stdin=True)
    env.procs.append(sec)
    wait_prompt(sec)
    cmd(tp, "clear port stats all")     # before the secondary's start: its baseline
    cmd(sec, "start")
    cmd(tp, "start")    # what waits in queue 0 goes out once, comes back on queue 1
    # only the secondary polls queue 1 (the primary forwards queue 0 only)
    deadline = time.monotonic() + 60
    while True:
        x = [xstats(tp, 0), xstats(tp, 1)]
        if all(xp.get(k, 0) >= SECONDARY_MIN_PACKETS for xp in x
               for k in ("rx_q1_packets", "tx_q1_packets")):
            break
        if time.monotonic() > deadline:
            fail("the secondary testpmd did not forward queue 1: %s" % x)
        time.sleep(POLL_PACE_S)
    cmd(sec, "stop", timeout=30)
    print("secondary testpmd: queue 1 received %d + %d and sent %d + %d packets on ports 0 + 1"
          % (x[0]["rx_q1_packets"], x[1]["rx_q1_packets"], x[0]["tx_q1_packets"],
             x[1]["tx_q1_packets"]))
    quit_testpmd(sec)
    cmd(tp, "stop", timeout=30)
    # 4. the primary lives on: traffic still flows, no driver error, clean quit
    reta_all(tp, 0)
    kickstart(tp)
    before = port_stats(tp, 0)["rx"]
    wait_traffic(tp, [0], before + SECONDARY_MIN_PACKETS, timeout=60)
    x = xstats(tp, 0)
    if x.get("hw_bad_doorbells", 0) or x.get("hw_bad_tails", 0) or \
            x.get("hw_dma_faults", 0) or x.get("hw_illegal_accesses", 0):
        fail("the adapter saw driver errors: %s" % x)
    cmd(tp, "stop", timeout=30)
    quit_testpmd(tp)
    print("secondary: ok (primary forwarded on after both secondaries exited)")


# -------------------- tap_offload: checksums and TSO by the adapter --

TSO_MSS = 1400
OFFLOAD_TCP_BYTES = 4 << 20
OFFLOAD_UDP_DATAGRAMS = 200


def snmp_counter(ip, ns, table, name):
    """A counter of /proc/net/snmp (table 'Tcp', 'Udp', 'Ip') or, for
    table None, of /proc/net/snmp6, inside namespace ns."""
    rc, out = run([ip, "netns", "exec", ns, "cat", "/proc/net/snmp6" if table is None
                   else "/proc/net/snmp"])
    if table is None:
        m = re.search(r"^%s\s+(\d+)" % name, out, re.M)
        return int(m.group(1)) if m else 0
    lines = [ln.split() for ln in out.splitlines() if ln.startswith(table + ":")]
    return int(dict(zip(lines[0][1:], lines[1][1:])).get(name, 0))


def offload_tcp(env, ip, ns, taps, addr, port, nbytes):
    """A TCP transfer A -> B while B captures it; returns the capture line."""
    cap = Proc("capture", [ip, "netns", "exec", ns[1]] +
               helper("--capture", taps[1], str(port), "fin"))
    env.procs.append(cap)
    cap.expect(r"^capturing", 20, "capture ready")
    srv = Proc("tcp-server", [ip, "netns", "exec", ns[1]] +
               helper("--tcp-server", addr, str(port)))
    env.procs.append(srv)
    srv.expect(r"^listening", 20, "TCP server ready")
    rc, out = run([ip, "netns", "exec", ns[0]] +
                  helper("--tcp-client", addr, str(port), str(nbytes)), timeout=90, check=False)
    m = re.search(r"^sent (\d+) bytes sha256 (\w+)", out, re.M)
    if rc != 0 or not m:
        fail("TCP client to %s failed (exit %d):\n%s" % (addr, rc, out))
    ms = srv.expect(r"^received (\d+) bytes sha256 (\w+)", 30, "TCP server result")
    if ms.group(1) != m.group(1) or ms.group(2) != m.group(2):
        fail("TCP data differ: client '%s', server '%s'" % (m.group(0), ms.group(0)))
    mc = cap.expect(r"^capture: frames (\d+) bad_ip (\d+) bad_l4 (\d+) max_payload (\d+) "
                    r"at_max (\d+)", 70, "capture result")
    return {k: int(mc.group(i + 1)) for i, k in
            enumerate(("frames", "bad_ip", "bad_l4", "max_payload", "at_max"))}


def t_tap_offload(env):
    """testpmd's csum engine between two namespaces whose TAPs have a 9000
    MTU, with hardware IPv4/TCP/UDP checksums and TSO (MSS 1400) on both
    ports: the engine leaves checksum fields for the adapter to fill, and
    A's jumbo TCP segments (multi-segment mbufs, Rx scatter) leave port 1
    cut into segments of 1400 payload bytes. B's capture checks every
    checksum and the segment sizes; B's kernel counts no checksum error."""
    ip, ns, taps = tap_setup(env, mtu=9000)
    tp = env.testpmd(env.vdevs(), ["-i", "--forward-mode=csum", "--burst=32",
                                   "--enable-scatter", "--max-pkt-len=9018"])
    wait_prompt(tp)
    cmd(tp, "port stop all")
    for port in (0, 1):
        for what in ("ip", "tcp", "udp"):
            out = cmd(tp, "csum set %s hw %d" % (what, port))
            if re.search(r"not supported|[Ee]rror|[Ii]nvalid", out):
                fail("csum set %s hw %d: %s" % (what, port, out))
        out = cmd(tp, "tso set %d %d" % (TSO_MSS, port))
        # (testpmd 24.11 also warns that UDP fragmentation is not offered)
        if re.search(r"[Ww]arning:.*TSO|not supported|[Ee]rror", out):
            fail("tso set %d %d: %s" % (TSO_MSS, port, out))
    cmd(tp, "port start all")
    out = cmd(tp, "show port 1 tx_offload configuration")
    for off in ("IPV4_CKSUM", "TCP_CKSUM", "UDP_CKSUM", "TCP_TSO"):
        if off not in out:
            fail("port 1 Tx offload %s not configured:\n%s" % (off, out))
    set_peers(tp)
    cmd(tp, "clear port stats all")
    cmd(tp, "start")
    csum_errors = [snmp_counter(ip, ns[1], "Tcp", "InCsumErrors"),
                   snmp_counter(ip, ns[1], "Udp", "InCsumErrors"),
                   snmp_counter(ip, ns[1], None, "Udp6InCsumErrors")]
    for addr, port, nbytes in ((TAP_NET + "2", 5201, OFFLOAD_TCP_BYTES),
                               (TAP_NET6 + "2", 5202, OFFLOAD_TCP_BYTES // 2)):
        c = offload_tcp(env, ip, ns, taps, addr, port, nbytes)
        print("tcp %s: %d bytes, sha256 equal; B captured %d segments, max payload %d "
              "(%d of them), bad IP/TCP checksums %d/%d"
              % (addr, nbytes, c["frames"], c["max_payload"], c["at_max"], c["bad_ip"],
                 c["bad_l4"]))
        if c["bad_ip"] or c["bad_l4"]:
            fail("B received frames with bad checksums: %s" % c)
        if c["max_payload"] != TSO_MSS or c["at_max"] < nbytes // TSO_MSS // 2:
            fail("B's segments are not of the MSS %d: %s" % (TSO_MSS, c))
    for addr, port in ((TAP_NET + "2", 5301), (TAP_NET6 + "2", 5302)):
        cap = Proc("capture", [ip, "netns", "exec", ns[1]] +
                   helper("--capture", taps[1], str(port), str(OFFLOAD_UDP_DATAGRAMS)))
        env.procs.append(cap)
        cap.expect(r"^capturing", 20, "capture ready")
        srv = Proc("udp-server", [ip, "netns", "exec", ns[1]] +
                   helper("--udp-server", addr, str(port), str(OFFLOAD_UDP_DATAGRAMS)))
        env.procs.append(srv)
        srv.expect(r"^listening", 20, "UDP server ready")
        run([ip, "netns", "exec", ns[0]] +
            helper("--udp-client", addr, str(port), str(OFFLOAD_UDP_DATAGRAMS)))
        got = int(srv.expect(r"^udp received (\d+)", 40, "UDP result").group(1))
        mc = cap.expect(r"^capture: frames (\d+) bad_ip (\d+) bad_l4 (\d+)", 70, "capture")
        print("udp %s: %d of %d datagrams received; captured %s, bad IP/UDP checksums %s/%s"
              % (addr, got, OFFLOAD_UDP_DATAGRAMS, mc.group(1), mc.group(2), mc.group(3)))
        if int(mc.group(2)) or int(mc.group(3)) or got < OFFLOAD_UDP_DATAGRAMS * 9 // 10:
            fail("UDP over %s: %d received, capture %s" % (addr, got, mc.group(0)))
    after = [snmp_counter(ip, ns[1], "Tcp", "InCsumErrors"),
             snmp_counter(ip, ns[1], "Udp", "InCsumErrors"),
             snmp_counter(ip, ns[1], None, "Udp6InCsumErrors")]
    if after != csum_errors:
        fail("B's kernel counted checksum errors (Tcp, Udp, Udp6): %s -> %s"
             % (csum_errors, after))
    cmd(tp, "stop", timeout=30)
    s0, s1 = port_stats(tp, 0), port_stats(tp, 1)
    x1 = xstats(tp, 1)
    # A sent jumbo frames (testpmd's port 0 received them), B got MSS-sized
    # ones: the adapter's port 1 sent more frames than testpmd gave it
    print("port 0 received %d frames, %.0f bytes each; port 1: testpmd sent %d packets, "
          "the adapter %d frames" % (s0["rx"], s0["rx_bytes"] / max(1, s0["rx"]),
                                     s1["tx"], x1.get("hw_tx_packets", 0)))
    if s0["rx_bytes"] / max(1, s0["rx"]) < 2 * TSO_MSS:
        fail("A did not send jumbo frames: %s" % s0)
    if x1.get("hw_tx_packets", 0) <= s1["tx"]:
        fail("the adapter did not segment: %s vs %s" % (x1, s1))
    if x1.get("hw_tx_errors", 0) or x1.get("hw_dma_faults", 0):
        fail("the adapter refused packets: %s" % x1)
    quit_testpmd(tp)
    print("tap_offload: ok")


# ------------------------------ tap_vlan: insertion, stripping, filter --

VLAN_FRAMES = 20


def raw_send(ip, ns, iface, vid, mark, count, end_mark="-", dst="ff:ff:ff:ff:ff:ff"):
    """count frames carrying 'mark' to dst from namespace ns (tag vid, 0 =
    none), then a broadcast one with end_mark and the same tag."""
    run([ip, "netns", "exec", ns] + helper("--raw-send", iface, str(vid), mark, str(count),
                                            end_mark, dst))


def raw_receiver(env, ip, ns, iface, mark, count, end_mark="-"):
    """A receiver in ns; .result() waits for its summary."""
    p = Proc("raw-recv", [ip, "netns", "exec", ns] +
             helper("--raw-recv", iface, mark, str(count), end_mark))
    env.procs.append(p)
    p.expect(r"^receiving", 20, "raw receiver ready")

    def result():
        m = p.expect(r"^raw: frames (\d+) untagged (\d+) vids (\S+)", 40, "raw result")
        vids = {} if m.group(3) == "-" else {
            int(k): int(v) for k, v in (x.split(":") for x in m.group(3).split(","))}
        return int(m.group(1)), int(m.group(2)), vids
    return result


def t_tap_vlan(env):
    """Raw 802.1Q frames between the namespaces (no VLAN interfaces
    needed): testpmd's port 1 (B's side) inserts tag 100 on transmit
    ('tx_vlan set 1 100'), strips tags on receive ('vlan set strip on 1')
    and filters VIDs ('vlan set filter on 1', 'rx_vlan add'). What each side
    receives is read with the tag as the kernel reports it."""
    ip, ns, taps = tap_setup(env)
    tp = env.testpmd(env.vdevs(), ["-i", "--forward-mode=mac", "--burst=32"])
    wait_prompt(tp)
    cmd(tp, "port stop all")
    for line in ("vlan set strip on 1", "vlan set filter on 1", "rx_vlan add 100 1",
                 "tx_vlan set 1 100"):
        out = cmd(tp, line)
        if re.search(r"[Ee]rror|[Ii]nvalid|not supported|[Ff]ail|[Bb]ad", out):
            fail("%s: %s" % (line, out))
    cmd(tp, "port start all")
    out = cmd(tp, "show port 1 rx_offload configuration")
    if "VLAN_STRIP" not in out or "VLAN_FILTER" not in out:
        fail("port 1 Rx VLAN offloads not configured:\n%s" % out)
    set_peers(tp)
    cmd(tp, "start")
    # 1. insertion: A's untagged frames reach B with tag 100
    res = raw_receiver(env, ip, ns[1], taps[1], "ins", VLAN_FRAMES)
    raw_send(ip, ns[0], taps[0], 0, "ins", VLAN_FRAMES)
    n, untagged, vids = res()
    print("vlan insert: A sent %d untagged frames, B received %d: %s untagged, VIDs %s"
          % (VLAN_FRAMES, n, untagged, vids))
    if n != VLAN_FRAMES or vids != {100: VLAN_FRAMES}:
        fail("tag 100 not inserted on every frame: %d %d %s" % (n, untagged, vids))
    # 2. stripping: B's frames tagged 100 reach A untagged; not without it
    for strip in ("on", "off"):
        if strip == "off":
            cmd(tp, "stop")
            cmd(tp, "vlan set strip off 1")
            cmd(tp, "start")
        res = raw_receiver(env, ip, ns[0], taps[0], "strip" + strip, VLAN_FRAMES)
        raw_send(ip, ns[1], taps[1], 100, "strip" + strip, VLAN_FRAMES)
        n, untagged, vids = res()
        print("vlan strip %s: B sent %d frames tagged 100, A received %d: %d untagged, "
              "VIDs %s" % (strip, VLAN_FRAMES, n, untagged, vids))
        want = (VLAN_FRAMES, 0, {}) if strip == "on" else (VLAN_FRAMES, 0, {100: VLAN_FRAMES})
        if (n, VLAN_FRAMES - untagged if strip == "on" else untagged, vids) != want:
            fail("strip %s: A received %d frames, %d untagged, VIDs %s" % (strip, n, untagged,
                                                                          vids))
    cmd(tp, "stop")
    cmd(tp, "vlan set strip on 1")
    cmd(tp, "start")
    # 3. filter: VID 200 is not in the table; a VID 100 frame sent after
    # them marks the end (the adapter keeps the order)
    before = xstats(tp, 1).get("hw_rx_filtered", 0)
    res = raw_receiver(env, ip, ns[0], taps[0], "vid200", VLAN_FRAMES, "end200")
    raw_send(ip, ns[1], taps[1], 200, "vid200", VLAN_FRAMES)
    raw_send(ip, ns[1], taps[1], 100, "end200", 0, "end200")
    n, untagged, vids = res()
    filtered = xstats(tp, 1).get("hw_rx_filtered", 0) - before
    print("vlan filter: %d frames of VID 200 sent, %d reached A, the adapter filtered %d"
          % (VLAN_FRAMES, n, filtered))
    if n != 0 or filtered < VLAN_FRAMES:
        fail("VID 200 not filtered: %d received, %d filtered" % (n, filtered))
    out = cmd(tp, "rx_vlan add 200 1")
    if re.search(r"[Ee]rror|[Ii]nvalid|[Ff]ail", out):
        fail("rx_vlan add 200 1: %s" % out)
    res = raw_receiver(env, ip, ns[0], taps[0], "vid200b", VLAN_FRAMES)
    raw_send(ip, ns[1], taps[1], 200, "vid200b", VLAN_FRAMES)
    n, untagged, vids = res()
    print("vlan filter: after 'rx_vlan add 200 1', %d of %d frames of VID 200 reach A "
          "(stripped: %d untagged)" % (n, VLAN_FRAMES, untagged))
    if n != VLAN_FRAMES or untagged != VLAN_FRAMES:
        fail("VID 200 after rx_vlan add: %d received, %d untagged" % (n, untagged))
    x = xstats(tp, 1)
    if x.get("hw_dma_faults", 0) or x.get("hw_illegal_accesses", 0):
        fail("the adapter saw driver errors: %s" % x)
    cmd(tp, "stop")
    quit_testpmd(tp)
    print("tap_vlan: ok")


# -------------------------- tap_macfilter: unicast and multicast lists --

MAC_EXTRA = "02:99:00:00:00:aa"
MC_LISTED = "01:00:5e:01:02:03"
MC_OTHER = "01:00:5e:09:09:09"
MAC_FRAMES = 10


def t_tap_macfilter(env):
    """Port 0 without promiscuous and all-multicast: A's frames to an extra
    unicast address and to a multicast address reach B (mac forwarding) only
    while testpmd's 'mac_addr add' / 'mcast_addr add' put them in the
    adapter's lists; another multicast address never does. Each 'dropped'
    phase ends with a broadcast frame: once B has it, the adapter has dealt
    with everything sent before."""
    ip, ns, taps = tap_setup(env)
    tp = env.testpmd(env.vdevs(), ["-i", "--forward-mode=mac", "--burst=32"])
    wait_prompt(tp)
    cmd(tp, "set promisc 0 off")
    cmd(tp, "set allmulti 0 off")
    set_peers(tp)
    cmd(tp, "start")

    def phase(mark, dst, expect):
        before = xstats(tp, 0).get("hw_rx_filtered", 0)
        res = raw_receiver(env, ip, ns[1], taps[1], mark, MAC_FRAMES,
                           "end" + mark if expect == 0 else "-")
        raw_send(ip, ns[0], taps[0], 0, mark, MAC_FRAMES,
                 "end" + mark if expect == 0 else "-", dst)
        n = res()[0]
        filtered = xstats(tp, 0).get("hw_rx_filtered", 0) - before
        print("mac filter: %d frames to %s, %d reached B, adapter filtered %d"
              % (MAC_FRAMES, dst, n, filtered))
        if n != expect or (expect == 0 and filtered < MAC_FRAMES):
            fail("frames to %s: %d reached B (expected %d), %d filtered"
                 % (dst, n, expect, filtered))

    phase("uc0", MAC_EXTRA, 0)
    phase("mc0", MC_LISTED, 0)
    for line in ("mac_addr add 0 " + MAC_EXTRA, "mcast_addr add 0 " + MC_LISTED):
        out = cmd(tp, line)
        if re.search(r"[Ee]rror|[Ii]nvalid|not supported|[Ff]ail|[Bb]ad", out):
            fail("%s: %s" % (line, out))
    phase("uc1", MAC_EXTRA, MAC_FRAMES)
    phase("mc1", MC_LISTED, MAC_FRAMES)
    phase("mc2", MC_OTHER, 0)
    cmd(tp, "mac_addr remove 0 " + MAC_EXTRA)
    cmd(tp, "mcast_addr remove 0 " + MC_LISTED)
    phase("uc2", MAC_EXTRA, 0)
    phase("mc3", MC_LISTED, 0)
    cmd(tp, "stop")
    quit_testpmd(tp)
    print("tap_macfilter: ok")


def t_secondary_intr(env):
    """evq-test-pmd-app as a primary on hugepages starts the ports (port 0
    with Rx interrupts) and idles; a second instance as a secondary arms
    port 0's Rx interrupt (a doorbell store through its own mapping of the
    doorbell page), sends on port 1 with its own tx_burst, sleeps in epoll
    on the eventfd the primary handed over, wakes, receives: 10 rounds.
    The primary then sees the arms in the shared counters."""
    if not hugetlbfs_mounts():
        raise TestSkip("no hugetlbfs mounted (secondary processes need hugepages)")
    if free_hugepage_mb() < SECONDARY_MEM_MB + 32:
        raise TestSkip("%d MB of free hugepages, %d needed"
                       % (free_hugepage_mb(), SECONDARY_MEM_MB + 32))
    app = env_executable("EVQ_INTR_APP")
    env.start_sim()
    argv = [app] + env.eal_args("0", mem=("--single-file-segments", "-m",
                                          str(SECONDARY_MEM_MB)), prefix="serve")
    for v in env.vdevs():
        argv += ["--vdev", v]
    prim = Proc("primary", argv + ["--", "serve"], stdin=True)
    env.procs.append(prim)
    prim.expect(r"^serving", 60, "primary ready")
    rc, out = run([app, "--lcores", "2@1", "--proc-type=secondary", "--no-pci",
                   "--file-prefix", env.file_prefix(), "-d", plugin(), "--", "secondary"],
                  timeout=120, check=False)
    for line in out.splitlines():
        if line.startswith(("secondary:", "FAIL")):
            print(line)
    if rc != 0 or not re.search(r"^PASS$", out, re.M):
        fail("the secondary failed (exit %d):\n%s" % (rc, out))
    prim.p.stdin.close()
    prim.expect(r"^(PASS|FAIL)$", 60, "primary result")
    report(prim, ("primary:", "FAIL"))
    expect_pass(prim.wait(30), prim, "primary")
    print("secondary_intr: ok")


# ------------------------- no_shared_mem: memory without file descriptors --

NO_FD_ERROR = (r"net_evq%d: DPDK memory at 0x[0-9a-f]+ \(\d+ bytes\) has no file descriptor "
               r"\([^)]*\): the adapter, another process, cannot map it; start the "
               r"application with --no-huge, or with hugepages and --single-file-segments "
               r"without --legacy-mem")
NO_FD_MEM_MB = 128


def hugetlbfs_mounts():
    with open("/proc/mounts") as f:
        return [ln.split()[1] for ln in f if ln.split()[2:3] == ["hugetlbfs"]]


def free_hugepage_mb():
    info = {}
    with open("/proc/meminfo") as f:
        for ln in f:
            k, v = ln.split(":", 1)
            info[k] = int(v.split()[0])
    return info.get("HugePages_Free", 0) * info.get("Hugepagesize", 0) // 1024


def t_no_shared_mem(env):
    """EAL memory the adapter cannot map (no file descriptor behind it):
    --legacy-mem --single-file-segments on hugepages. Probing fails with the
    documented error naming the options that work; testpmd runs on without
    the ports; the adapter is left serving the next client."""
    if not hugetlbfs_mounts():
        raise TestSkip("no hugetlbfs mounted (the no-fd case needs hugepages)")
    if free_hugepage_mb() < NO_FD_MEM_MB + 32:
        raise TestSkip("%d MB of free hugepages, %d needed" % (free_hugepage_mb(),
                                                              NO_FD_MEM_MB + 32))
    sim = env.start_sim(engine_cpu=SIM_CPU_BESIDE_TESTPMD)
    tp = env.testpmd(env.vdevs(), ["-i"], mbufs=4096,
                     mem=("--legacy-mem", "--single-file-segments", "-m", str(NO_FD_MEM_MB)))
    prefix = env.file_prefix()

    def drop_hugefiles():
        # legacy memory leaves its page files behind: remove this run's own
        for d in hugetlbfs_mounts():
            for f in os.listdir(d):
                if f.startswith(prefix):
                    os.unlink(os.path.join(d, f))
    env.cleanups.append(drop_hugefiles)
    wait_prompt(tp)
    out = tp.output()
    for port in (0, 1):
        if not re.search(NO_FD_ERROR % port, out) or \
                "failed to initialize net_evq%d" % port not in out:
            tp.dump()
            fail("port %d: no probe failure with the documented error /%s/"
                 % (port, NO_FD_ERROR % port))
    out = cmd(tp, "show port summary all")
    if not re.search(r"Number of available ports: 0", out):
        fail("ports exist although probing failed:\n%s" % out)
    quit_testpmd(tp)
    out = tp.output()
    if re.search(r"Segmentation fault|Aborted|panic|PANIC", out):
        fail("testpmd crashed:\n%s" % out[-3000:])
    drop_hugefiles()
    if sim.p.poll() is not None:
        fail("evq-sim exited (%s) after the failed probe" % sim.p.returncode)
    # the adapter serves the next client: a testpmd that can share memory
    tp = env.testpmd(env.vdevs(), ["-i", "--forward-mode=io"])
    wait_prompt(tp)
    cmd(tp, "start tx_first")
    st = wait_traffic(tp, [0, 1], 10000)
    cmd(tp, "stop")
    quit_testpmd(tp)
    print("no_shared_mem: probe refused with the documented error; then %d/%d packets "
          "received on a working testpmd" % (st[0]["rx"], st[1]["rx"]))
    print("no_shared_mem: ok")


# ---------------------------------------- helpers run in a namespace --

def helper_ping(addr, count=5):
    """ping -c 5 in Python (raw ICMP socket), for a system without ping."""
    import socket as so
    import struct

    def csum(b):
        if len(b) % 2:
            b += b"\0"
        t = sum(struct.unpack("!%dH" % (len(b) // 2), b))
        t = (t >> 16) + (t & 0xffff)
        t += t >> 16
        return ~t & 0xffff
    s = so.socket(so.AF_INET, so.SOCK_RAW, so.IPPROTO_ICMP)
    ident = os.getpid() & 0xffff
    got = 0
    print("PING %s" % addr, flush=True)
    for seq in range(1, count + 1):
        payload = struct.pack("!d", time.time()) + bytes(48)
        hdr = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
        pkt = struct.pack("!BBHHH", 8, 0, csum(hdr + payload), ident, seq) + payload
        t0 = time.monotonic()
        s.sendto(pkt, (addr, 0))
        deadline = t0 + 5
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                print("seq %d: timeout" % seq, flush=True)
                break
            s.settimeout(left)
            try:
                data, src = s.recvfrom(2048)
            except so.timeout:
                continue
            ihl = (data[0] & 0x0f) * 4
            typ, _, _, rid, rseq = struct.unpack("!BBHHH", data[ihl:ihl + 8])
            if src[0] == addr and typ == 0 and rid == ident and rseq == seq:
                got += 1
                print("%d bytes from %s: icmp_seq=%d time=%.3f ms"
                      % (len(data) - ihl, addr, seq, (time.monotonic() - t0) * 1e3),
                      flush=True)
                break
        if seq < count:
            time.sleep(0.2)    # ping's own interval, not synchronisation
    print("%d packets transmitted, %d received" % (count, got), flush=True)
    return 0 if got == count else 1


def helper_tcp_server(addr, port):
    import hashlib
    import socket as so
    s = so.socket(so.AF_INET6 if ":" in addr else so.AF_INET, so.SOCK_STREAM)
    s.setsockopt(so.SOL_SOCKET, so.SO_REUSEADDR, 1)
    s.bind((addr, int(port)))
    s.listen(1)
    s.settimeout(60)
    print("listening on %s:%s" % (addr, port), flush=True)
    c, _ = s.accept()
    c.settimeout(60)
    h = hashlib.sha256()
    n = 0
    while True:
        d = c.recv(1 << 16)
        if not d:
            break
        h.update(d)
        n += len(d)
    c.sendall(("%d %s\n" % (n, h.hexdigest())).encode())
    c.close()
    print("received %d bytes sha256 %s" % (n, h.hexdigest()), flush=True)
    return 0


def helper_tcp_client(addr, port, nbytes):
    import hashlib
    import socket as so
    data = os.urandom(int(nbytes))
    digest = hashlib.sha256(data).hexdigest()
    c = so.create_connection((addr, int(port)), timeout=60)
    c.sendall(data)
    c.shutdown(so.SHUT_WR)
    reply = b""
    while not reply.endswith(b"\n"):
        d = c.recv(256)
        if not d:
            break
        reply += d
    c.close()
    print("sent %d bytes sha256 %s" % (len(data), digest), flush=True)
    print("server: %s" % reply.decode().strip(), flush=True)
    return 0 if reply.decode().split() == [str(len(data)), digest] else 1


def inet_sum(b):
    """One's-complement sum of b (16-bit big-endian words), folded."""
    import array
    if len(b) % 2:
        b += b"\0"
    a = array.array("H", b)
    if sys.byteorder == "little":
        a.byteswap()
    t = sum(a)
    while t >> 16:
        t = (t & 0xffff) + (t >> 16)
    return t


def frame_check(f):
    """An Ethernet frame carrying TCP or UDP over IPv4/IPv6 (no VLAN, no
    IPv6 extension header): (proto, dst port, L4 payload bytes, IP checksum
    ok, L4 checksum ok, TCP flags), or None for anything else."""
    import struct
    et = struct.unpack("!H", f[12:14])[0]
    if et == 0x0800:
        ihl = (f[14] & 0x0f) * 4
        tot = struct.unpack("!H", f[16:18])[0]
        proto, l4 = f[23], f[14 + ihl:14 + tot]
        ip_ok = inet_sum(f[14:14 + ihl]) == 0xffff
        pseudo = f[26:34] + struct.pack("!HH", proto, len(l4))
    elif et == 0x86dd:
        plen = struct.unpack("!H", f[18:20])[0]
        proto, l4 = f[20], f[54:54 + plen]
        ip_ok = True
        pseudo = f[22:54] + struct.pack("!IxxxB", len(l4), proto)
    else:
        return None
    if proto == 6 and len(l4) >= 20:
        hlen, flags = (l4[12] >> 4) * 4, l4[13]
    elif proto == 17 and len(l4) >= 8:
        hlen, flags = 8, 0
    else:
        return None
    l4_ok = inet_sum(pseudo + l4) == 0xffff
    return proto, struct.unpack("!H", l4[2:4])[0], len(l4) - hlen, ip_ok, l4_ok, flags


def helper_capture(iface, port, until):
    """Capture frames arriving on iface for TCP/UDP port 'port' until a TCP
    FIN ('fin') or N frames ('N') or 60 s; check every checksum. Prints
    'capture: frames F bad_ip I bad_l4 L max_payload M at_max K'."""
    import socket as so
    s = so.socket(so.AF_PACKET, so.SOCK_RAW, so.htons(0x0003))
    s.bind((iface, 0))
    s.setsockopt(so.SOL_SOCKET, so.SO_RCVBUF, 1 << 24)
    print("capturing on %s" % iface, flush=True)
    frames = bad_ip = bad_l4 = 0
    sizes = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        s.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            f, addr = s.recvfrom(65536)
        except so.timeout:
            break
        if addr[2] == so.PACKET_OUTGOING:
            continue
        r = frame_check(f)
        if r is None or r[1] != int(port):
            continue
        frames += 1
        bad_ip += not r[3]
        bad_l4 += not r[4]
        sizes.append(r[2])
        if (until == "fin" and r[5] & 0x01) or (until != "fin" and frames >= int(until)):
            break
    top = max(sizes) if sizes else 0
    print("capture: frames %d bad_ip %d bad_l4 %d max_payload %d at_max %d"
          % (frames, bad_ip, bad_l4, top, sizes.count(top)), flush=True)
    return 0


def helper_udp_server(addr, port, count):
    """Receive datagrams until 'count' or 30 s; print how many."""
    import socket as so
    s = so.socket(so.AF_INET6 if ":" in addr else so.AF_INET, so.SOCK_DGRAM)
    s.setsockopt(so.SOL_SOCKET, so.SO_RCVBUF, 1 << 22)   # the whole burst
    s.bind((addr, int(port)))
    print("listening on %s:%s" % (addr, port), flush=True)
    n = 0
    deadline = time.monotonic() + 30
    while n < int(count) and time.monotonic() < deadline:
        s.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            s.recv(65536)
        except so.timeout:
            break
        n += 1
    print("udp received %d" % n, flush=True)
    return 0


def helper_udp_client(addr, port, count):
    """'count' datagrams of 1 to 1400 bytes, one ping-pong-free burst."""
    import socket as so
    s = so.socket(so.AF_INET6 if ":" in addr else so.AF_INET, so.SOCK_DGRAM)
    for i in range(int(count)):
        s.sendto(os.urandom(1 + (i * 37) % 1400), (addr, int(port)))
    print("udp sent %s" % count, flush=True)
    return 0


def raw_frame(src_mac, vid, payload, dst=b"\xff" * 6):
    """Ethernet frame to dst (broadcast), 802.1Q tag vid unless 0, with
    IPv4/UDP to port 9 carrying payload."""
    import struct
    udp = struct.pack("!HHHH", 9, 9, 8 + len(payload), 0) + payload
    iph = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                      bytes([10, 99, 9, 1]), bytes([10, 99, 9, 2]))
    iph = iph[:10] + struct.pack("!H", ~inet_sum(iph) & 0xffff) + iph[12:]
    tag = struct.pack("!HH", 0x8100, vid) if vid else b""
    return dst + src_mac + tag + b"\x08\x00" + iph + udp


def helper_raw_send(iface, vid, mark, count, end_mark="-", dst="ff:ff:ff:ff:ff:ff"):
    """count frames to dst, then (unless end_mark is '-') one broadcast
    frame carrying end_mark."""
    import socket as so
    s = so.socket(so.AF_PACKET, so.SOCK_RAW)
    s.bind((iface, 0))
    src = s.getsockname()[4][:6]
    to = bytes.fromhex(dst.replace(":", ""))
    for i in range(int(count)):
        s.send(raw_frame(src, int(vid), ("%s %d" % (mark, i)).encode().ljust(32, b"."), to))
    if end_mark != "-":
        s.send(raw_frame(src, int(vid), end_mark.encode().ljust(32, b".")))
    return 0


def helper_raw_recv(iface, mark, count, end_mark):
    """Frames whose UDP payload starts with 'mark ' (until 'count' of them
    or one starting with end_mark, or 30 s): how many, how many untagged,
    and the VIDs of the others, the tag read from the data or, as the
    kernel takes it out, from PACKET_AUXDATA."""
    import socket as so
    import struct
    SOL_PACKET, PACKET_AUXDATA, TP_STATUS_VLAN_VALID = 263, 8, 0x10
    s = so.socket(so.AF_PACKET, so.SOCK_RAW, so.htons(0x0003))
    s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    s.bind((iface, 0))
    print("receiving on %s" % iface, flush=True)
    n = untagged = 0
    vids = {}
    deadline = time.monotonic() + 30
    while n < int(count) and time.monotonic() < deadline:
        s.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            data, anc, flags, addr = s.recvmsg(65536, so.CMSG_SPACE(32))
        except so.timeout:
            break
        if addr[2] == so.PACKET_OUTGOING:
            continue
        vid = None
        if data[12:14] == b"\x81\x00":
            vid = struct.unpack("!H", data[14:16])[0] & 0x0fff
            data = data[:12] + data[16:]
        for level, typ, cdata in anc:
            if level == SOL_PACKET and typ == PACKET_AUXDATA:
                status, _, _, _, _, tci = struct.unpack("IIIHHH", cdata[:18])
                if status & TP_STATUS_VLAN_VALID:
                    vid = tci & 0x0fff
        if data[12:14] != b"\x08\x00" or len(data) < 42 or data[23] != 17:
            continue
        payload = data[42:]
        if end_mark != "-" and payload.startswith(end_mark.encode()):
            break
        if not payload.startswith((mark + " ").encode()):
            continue
        n += 1
        if vid is None:
            untagged += 1
        else:
            vids[vid] = vids.get(vid, 0) + 1
    print("raw: frames %d untagged %d vids %s" % (n, untagged, ",".join(
        "%d:%d" % kv for kv in sorted(vids.items())) or "-"), flush=True)
    return 0


HELPERS = {
    "--raw-send": helper_raw_send,
    "--raw-recv": helper_raw_recv,
    "--capture": helper_capture,
    "--udp-server": helper_udp_server,
    "--udp-client": helper_udp_client,
    "--ping": helper_ping,
    "--tcp-server": helper_tcp_server,
    "--tcp-client": helper_tcp_client,
}


def eq_overflow_counts(tp, per_queue=None):
    """Per port: (queue EQ overflows recovered, events the driver counted
    lost, the adapter's events lost, EQ 0 overflow events, Rx packets).
    per_queue, a dict, gets the recoveries of each queue EQ, by
    (port, xstat name)."""
    res = []
    for port in (0, 1):
        x = xstats(tp, port)
        ovf = 0
        for k, v in x.items():
            if re.match(r"[rt]x_q\d+_eq_overflows$", k):
                ovf += v
                if per_queue is not None:
                    per_queue[(port, k)] = v
        lost = sum(v for k, v in x.items() if re.match(r"[rt]x_q\d+_eq_lost_events$", k))
        res.append((ovf, lost, x.get("hw_events_lost", 0), x.get("eq_overflows", 0),
                    port_stats(tp, port)["rx"]))
    return res


def t_eq_overflow(env, devargs=""):
    """A queue EQ smaller than its ring (devarg eq_size=8, 512 descriptors)
    overflows under traffic: the overflow event comes on EQ 0, the driver
    switches the queue to a new, larger EQ with the admin command while
    the port runs, counts the lost events, and traffic goes on without a
    port restart; once an EQ has grown to an entry per descriptor, it
    overflows no more (a smaller Tx EQ may, and recovers). (flowgen:
    each port sends all the time and drops what it receives, so the frames
    lost with the events are not missed by a closed forwarding loop.)"""
    env.start_sim(engine_cpu=SIM_CPU_BESIDE_TESTPMD)
    tp = env.testpmd(env.vdevs(extra=",eq_size=8" + devargs),
                     ["-i", "--forward-mode=flowgen", "--burst=32", "--rxd=512",
                      "--txd=512"])
    wait_prompt(tp)
    if not re.search(r"eq_size=8 is smaller than the 512 descriptors.*recovers it",
                     tp.output()):
        fail("no warning that the EQ can overflow:\n%s" % tp.output()[-2000:])
    cmd(tp, "start")
    wait_traffic(tp, [0, 1], 200000, timeout=60)
    first = eq_overflow_counts(tp)
    print("after 200k packets per port: (recovered, lost counted, adapter lost, "
          "EQ 0 overflow events, rx) = %s" % first)
    if sum(c[0] for c in first) == 0:
        fail("no EQ overflow was recovered: %s" % first)
    if sum(c[1] for c in first) == 0:
        fail("no lost event counted: %s" % first)
    # The traffic goes on for two more windows. A queue EQ that has grown
    # to an entry per descriptor (512: 6 doublings of 8) cannot overflow
    # any more, since the adapter posts at most one completion per
    # descriptor it holds: during the last window, none does (the Rx EQs
    # get there in the first 200k packets). A queue EQ not grown that far
    # may still overflow and recover (the Tx EQs: with completions
    # coalesced they overflow only when the lcore is held up, now and then
    # on a loaded machine). None grows past 1024 entries (7 doublings).
    full = 6
    base = [c[4] for c in first]
    for window in (1, 2):
        at_mid = {}
        mid = eq_overflow_counts(tp, at_mid)
        deadline = time.monotonic() + 60
        while True:
            at_now = {}
            now = eq_overflow_counts(tp, at_now)
            if all(now[p][4] >= mid[p][4] + 200000 for p in (0, 1)):
                break
            if time.monotonic() > deadline:
                fail("traffic stalled after the overflows: %s -> %s" % (mid, now))
            time.sleep(POLL_PACE_S)
        print("window %d: %s; recoveries per queue EQ: %s" % (window, now, ", ".join(
            "port %d %s %d" % (p, k, v) for (p, k), v in sorted(at_now.items()))))
    grown = [q for q, v in at_mid.items() if v >= full]
    if not grown:
        fail("no queue EQ grew to 512 entries (%d recoveries) in 600k packets: %s"
             % (full, at_mid))
    again = ["port %d %s: %d -> %d" % (q[0], q[1], at_mid[q], at_now[q])
             for q in grown if at_now[q] != at_mid[q]]
    if again:
        fail("queue EQs of an entry per descriptor still overflowing: %s" % "; ".join(again))
    if any(v > full + 1 for v in at_now.values()):
        fail("a queue EQ recovered more than %d times (8 -> 1024 entries): %s"
             % (full + 1, at_now))
    cmd(tp, "stop")
    end = eq_overflow_counts(tp)
    for p in (0, 1):
        ovf, lost, hw_lost, events, rx = end[p]
        if lost != hw_lost:
            fail("port %d: the driver counted %d lost events, the adapter %d" % (p, lost, hw_lost))
        if events < ovf:
            fail("port %d: %d recoveries for %d overflow events" % (p, ovf, events))
    print("eq_overflow: %d recoveries, %d lost events counted, traffic %s -> %s: ok" %
          (sum(c[0] for c in end), sum(c[1] for c in end), base, [c[4] for c in end]))
    quit_testpmd(tp)


def t_eq_overflow_phase(env):
    """eq_overflow with the queue EQs on the phase validity rule: the
    adapter finds an EQ full from the read count the driver published
    (every 2 entries of the 8), and the recovery writes the switch marker
    with the phase bit of its count (evq_ring_cons_switch_at())."""
    t_eq_overflow(env, devargs=",eq_validity=phase")


TESTS = {
    "info": t_info,
    "eq_overflow": t_eq_overflow,
    "eq_overflow_phase": t_eq_overflow_phase,
    "fwd_io": t_fwd_io,
    "fwd_phase": t_fwd_phase,
    "intr_phase": t_intr_phase,
    "phase_refused": t_phase_refused,
    "fwd_mac": t_fwd_mac,
    "layouts": t_layouts,
    "control": t_control,
    "sim_killed": t_sim_killed,
    "bad_devargs": t_bad_devargs,
    "no_socket": t_no_socket,
    "hotplug": t_hotplug,
    "intr": t_intr,
    "tx_fast_free": t_tx_fast_free,
    "tap": t_tap,
    "tap_phase": t_tap_phase,
    "tap_offload": t_tap_offload,
    "tap_vlan": t_tap_vlan,
    "tap_macfilter": t_tap_macfilter,
    "secondary": t_secondary,
    "secondary_intr": t_secondary_intr,
    "no_shared_mem": t_no_shared_mem,
    "foreign_device": t_foreign_device,
}


if __name__ == "__main__":
    sys.exit(main(TESTS, "pmd", "evqt", helpers=HELPERS, requires=[TESTPMD]))
