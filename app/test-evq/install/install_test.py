#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The evq authors
"""
Install tests (suite 'install'): evq installed as a DPDK driver is
installed, seen from a DPDK user's side. One test per invocation:
install_test.py <test> (see TESTS).

  layout          `meson install --destdir`: the plugin in the DPDK plugin
                  directory, the tools, lib/evq_ring, the static driver and
                  the pkg-config files where they belong
  testpmd         after `meson install` (+ ldconfig), Debian's dpdk-testpmd
                  finds net_evq in its plugin directory without -d (EAL's own
                  log says where it loaded it from) and forwards traffic
                  through the installed evq-sim
  example_shared  examples/pmd_link built with its Makefile against the
                  installed files, net_evq linked as a shared library
                  (pkg-config librte_net_evq): it needs librte_net_evq.so,
                  finds a net_evq port and gets back every frame it sent
  example_static  the same, linked statically (pkg-config --static
                  librte_net_evq-static): no DPDK or evq shared library
  deb             devtools/package builds the .deb files; in a clean chroot
                  of this Debian release (devtools/lib-chroot.sh, a scratch
                  copy each run): apt install ./evq_*.deb, testpmd without -d
                  forwards traffic through /usr/bin/evq-sim, apt purge
                  leaves no file of the package behind. Not inside a version
                  chroot (EVQ_IN_VERSION_CHROOT=1): skipped there.

"Installed" without touching the system: each test installs into a
private DESTDIR and, in a private mount namespace (the script runs itself
again under unshare), lays it over /usr with an overlay mount, and /etc with
a throw-away overlay for ldconfig's cache; both vanish with the test.

Environment (meson sets them): EVQ_BUILD_ROOT (the build dir to install),
EVQ_SOURCE_ROOT, EVQ_PMD_DIR (where the build installs the plugin),
EVQ_PREFIX, EVQ_LIBDIR, EVQ_BINDIR, EVQ_INCLUDEDIR (meson's install dirs).
"""

import glob
import os
import re
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import evq_testlib  # noqa: E402
from evq_testlib import (TestSkip, fail, run, cmd, wait_prompt,  # noqa: E402
                         quit_testpmd, wait_traffic, fwd_stats_after_stop, main)

HERE = os.path.abspath(__file__)
TESTLIB_DIR = os.path.dirname(os.path.dirname(HERE))


def sh(argv, timeout=30):
    """Run a command that must succeed; its output."""
    return run(argv, timeout)[1]


def env_path(var):
    v = os.environ.get(var, "")
    if not v:
        fail("%s is not set (meson sets it)" % var)
    return v


def under(prefix, path):
    """meson's install dir 'path' (relative to the prefix, or absolute)."""
    return path if os.path.isabs(path) else os.path.join(prefix, path)


class Installed:
    """Where a `meson install` of EVQ_BUILD_ROOT puts each thing."""

    def __init__(self):
        prefix = env_path("EVQ_PREFIX")
        self.pmd_dir = env_path("EVQ_PMD_DIR")
        self.libdir = under(prefix, env_path("EVQ_LIBDIR"))
        self.bindir = under(prefix, env_path("EVQ_BINDIR"))
        self.includedir = under(prefix, env_path("EVQ_INCLUDEDIR"))
        self.plugin = os.path.join(self.pmd_dir, "librte_net_evq.so")
        self.sim = os.path.join(self.bindir, "evq-sim")

    def files(self):
        return [self.plugin, self.sim, os.path.join(self.bindir, "evq-rategen"),
                os.path.join(self.includedir, "evq_ring.h"),
                os.path.join(self.libdir, "libevq_ring.so.0"),
                os.path.join(self.libdir, "libevq_ring.a"),
                os.path.join(self.libdir, "librte_net_evq.so"),
                os.path.join(self.libdir, "librte_net_evq.a"),
                os.path.join(self.libdir, "pkgconfig", "libevq_ring.pc"),
                os.path.join(self.libdir, "pkgconfig", "librte_net_evq.pc"),
                os.path.join(self.libdir, "pkgconfig", "librte_net_evq-static.pc")]


def meson_install(env):
    """`meson install` of the build under test into a private DESTDIR."""
    dest = os.path.join(env.dir, "dest")
    sh(["meson", "install", "-C", env_path("EVQ_BUILD_ROOT"), "--no-rebuild",
         "--quiet", "--destdir", dest], timeout=120)
    return dest


def overlay_installed(env, dest):
    """Inside the private mount namespace: DESTDIR's /usr over /usr, /etc
    writable in memory, ldconfig, as after a real install."""
    if os.environ.get("EVQ_INSTALL_NS") != "1":
        fail("overlay_installed outside the private mount namespace")
    sh(["mount", "-t", "overlay", "overlay", "-o",
         "lowerdir=%s:/usr" % os.path.join(dest, "usr"), "/usr"])
    etc = os.path.join(env.dir, "etc")
    os.makedirs(etc + "/upper")
    os.makedirs(etc + "/work")
    sh(["mount", "-t", "overlay", "overlay", "-o",
         "lowerdir=/etc,upperdir=%s/upper,workdir=%s/work" % (etc, etc), "/etc"])
    sh(["ldconfig"])


def testpmd_forwards(env, sim, pmd_dir):
    """evq-sim (two ports, pair wire) and dpdk-testpmd without -d: the EAL
    loads net_evq from pmd_dir and traffic goes both ways."""
    evq_testlib.SIM = sim
    env.start_sim()
    tp = env.testpmd(env.vdevs(), ["-i"], load_pmd=False,
                     eal_extra=["--log-level=lib.eal:debug"])
    wait_prompt(tp)
    plugin = os.path.join(pmd_dir, "librte_net_evq.so")
    if not re.search(r"open shared lib %s\b" % re.escape(plugin), tp.output()):
        tp.dump()
        fail("the EAL did not load %s from its plugin directory" % plugin)
    out = cmd(tp, "show port summary all")
    if len(re.findall(r"net_evq", out)) < 2:
        fail("two net_evq ports expected:\n%s" % out)
    cmd(tp, "start tx_first")
    wait_traffic(tp, [0, 1], 1000)
    res, _ = fwd_stats_after_stop(tp)
    quit_testpmd(tp)
    print("testpmd without -d: net_evq from %s, forwarded %d and %d packets" %
          (plugin, res[0]["tx"], res[1]["tx"]))


# ---------------------------------------------------------------- tests --

def t_layout(env):
    inst = Installed()
    dest = meson_install(env)
    missing = [f for f in inst.files() if not os.path.lexists(dest + f)]
    if missing:
        fail("not installed: %s" % ", ".join(missing))
    link = os.readlink(dest + os.path.join(inst.libdir, "librte_net_evq.so"))
    if link != inst.plugin:
        fail("librte_net_evq.so in the library dir points to %s, not %s" % (link, inst.plugin))
    # the plugin directory is the one this DPDK's EAL searches
    eal = os.path.realpath(os.path.join(
        sh(["pkg-config", "--variable=libdir", "libdpdk"]).strip(), "librte_eal.so"))
    with open(eal, "rb") as f:
        if (inst.pmd_dir.encode() + b"\0") not in f.read():
            fail("%s does not name %s as its plugin directory" % (eal, inst.pmd_dir))
    pc = os.path.join(dest + inst.libdir, "pkgconfig")
    libs = sh(["env", "PKG_CONFIG_PATH=" + pc, "pkg-config", "--libs",
               "librte_net_evq"]).strip()
    if "-lrte_net_evq" not in libs:
        fail("pkg-config --libs librte_net_evq: %s" % libs)
    static = sh(["env", "PKG_CONFIG_PATH=" + pc, "pkg-config", "--static", "--libs",
                 "librte_net_evq-static"]).strip()
    if not re.search(r"--whole-archive -l:librte_net_evq\.a -Wl,--no-whole-archive", static):
        fail("pkg-config --static --libs librte_net_evq-static lacks the whole archive: %s"
             % static)
    print("installed: %s (plugin directory of %s)" % (", ".join(inst.files()), eal))


def t_testpmd(env):
    inst = Installed()
    overlay_installed(env, meson_install(env))
    testpmd_forwards(env, inst.sim, inst.pmd_dir)


def build_example(env, kind):
    """examples/pmd_link built with its Makefile against the installed files."""
    inst = Installed()
    overlay_installed(env, meson_install(env))
    src = os.path.join(env_path("EVQ_SOURCE_ROOT"), "examples", "pmd_link")
    out = os.path.join(env.dir, "example")
    sh(["make", "-C", src, "BUILD=" + out, kind], timeout=300)
    exe = os.path.join(out, "evq-pmd-link-" + kind)
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]",
                        sh(["readelf", "-d", exe]))
    print("%s: needs %s" % (os.path.basename(exe), " ".join(needed)))
    return inst, exe, needed


def run_example(env, inst, exe):
    evq_testlib.SIM = inst.sim
    env.start_sim(n=1, wire="loop")
    p = env.dpdk_app(os.path.basename(exe), exe, "0", env.vdevs(1), load_pmd=False,
                     app_args=["--frames", "2000"])
    p.expect(r"^pmd_link: (OK|FAIL)$", 60, "the example's verdict")
    rc = p.wait(30)
    if rc != 0 or "port 0: driver net_evq" not in p.output():
        p.dump()
        fail("%s failed (exit %s)" % (exe, rc))
    print(re.search(r"port 0: sent.*", p.output()).group(0))


def t_example_shared(env):
    inst, exe, needed = build_example(env, "shared")
    if "librte_net_evq.so" not in needed:
        fail("the shared example does not link librte_net_evq.so: %s" % needed)
    run_example(env, inst, exe)


def t_example_static(env):
    inst, exe, needed = build_example(env, "static")
    shared = [n for n in needed if n.startswith(("librte_", "libevq"))]
    if shared:
        fail("the static example still needs %s" % shared)
    run_example(env, inst, exe)


def t_deb(env):
    if os.environ.get("EVQ_IN_VERSION_CHROOT") == "1":
        raise TestSkip("the package test runs once, on the host's release")
    root = env_path("EVQ_SOURCE_ROOT")
    pkgdir = os.path.join(env_path("EVQ_BUILD_ROOT"), "install-test", "package")
    out = sh([os.path.join(root, "devtools", "package"), "--out", pkgdir], timeout=900)
    debs = [line for line in out.splitlines() if line.endswith(".deb")]
    if len(debs) != 2:
        fail("devtools/package made %s" % debs)
    with open("/etc/os-release") as f:
        codename = re.search(r"^VERSION_CODENAME=(\S+)", f.read(), re.M).group(1)
    # a clean chroot of this release with Debian's DPDK tools, cached; the
    # test runs on a scratch copy of it
    script = ('. "$1/devtools/lib.sh"; . "$1/devtools/lib-chroot.sh"; shift; '
              'evq_chroot_ensure "$@"')
    chroot = codename + "+pkgtest"
    sh(["bash", "-c", script, "evq", root, chroot, "dpdk-dev", "python3"], timeout=900)
    binds = "%s:/pkg:ro %s:/evqtest:ro" % (pkgdir, TESTLIB_DIR)
    script = ('. "$1/devtools/lib.sh"; . "$1/devtools/lib-chroot.sh"; shift; '
              'evq_chroot_run "$@"')
    p = subprocess.run(
        ["bash", "-c", script, "evq", root, chroot, "python3",
         "/evqtest/install/install_test.py", "deb_inside"],
        env=dict(os.environ, EVQ_CHROOT_BINDS=binds, EVQ_CHROOT_SCRATCH="1"),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    print(p.stdout)
    if p.returncode != 0:
        fail("the package test in the %s chroot failed (exit %d)" % (chroot, p.returncode))


def deb_inside():
    """Run inside the scratch chroot: install, use, remove the packages."""
    env = evq_testlib.Env("deb", "evqd")
    try:
        debs = sorted(glob.glob("/pkg/evq_*.deb")) + sorted(glob.glob("/pkg/evq-dev_*.deb"))
        apt = ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "-y", "-q"]
        before = set(subprocess.run(["find", "/usr", "/etc", "-xdev"], stdout=subprocess.PIPE,
                                    text=True, check=True).stdout.split())
        print(sh(apt + ["install"] + debs, timeout=300))
        files = sh(["dpkg", "-L", "evq", "evq-dev"]).split()
        plugins = [f for f in files if re.search(r"/dpdk/pmds-[0-9.]+/librte_net_evq\.so$", f)]
        if len(plugins) != 1:
            fail("the package puts no plugin into a DPDK plugin directory: %s" % files)
        testpmd_forwards(env, "/usr/bin/evq-sim", os.path.dirname(plugins[0]))
        env.cleanup()
        print(sh(apt + ["purge", "evq", "evq-dev"], timeout=300))
        after = set(subprocess.run(["find", "/usr", "/etc", "-xdev"], stdout=subprocess.PIPE,
                                   text=True, check=True).stdout.split())
        left = sorted(after - before)
        if left:
            fail("left behind after apt purge: %s" % left)
        print("deb: installed, testpmd forwarded through net_evq without -d, purged cleanly")
    except evq_testlib.TestFailure as e:
        sys.stderr.write("FAIL: %s\n" % e)
        return 1
    finally:
        env.cleanup()
    return 0


TESTS = {
    "layout": t_layout,
    "testpmd": t_testpmd,
    "example_shared": t_example_shared,
    "example_static": t_example_static,
    "deb": t_deb,
}
# tests that need the private mount namespace (overlay mounts)
NAMESPACED = ("testpmd", "example_shared", "example_static")

if __name__ == "__main__":
    if (len(sys.argv) == 2 and sys.argv[1] in NAMESPACED and
            os.environ.get("EVQ_INSTALL_NS") != "1"):
        os.environ["EVQ_INSTALL_NS"] = "1"
        os.execvp("unshare", ["unshare", "--mount", "--propagation", "private",
                              sys.executable, HERE, sys.argv[1]])
    sys.exit(main(TESTS, "install", "evqi", helpers={"deb_inside": deb_inside}))
