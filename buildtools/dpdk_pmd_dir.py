#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The evq authors
"""Print the plugin directory of an installed DPDK: the directory its EAL
loads every driver from at start-up (RTE_EAL_PMD_PATH, fixed when DPDK was
built), e.g. /usr/lib/x86_64-linux-gnu/dpdk/pmds-23.0 for Debian's 22.11.

    dpdk_pmd_dir.py LIBDIR

LIBDIR is DPDK's library directory (pkg-config --variable=libdir libdpdk).
The path is read from librte_eal.so itself, where the EAL keeps it as a
string. If it is not found there, the directory DPDK's own build uses is
derived instead: LIBDIR/dpdk/pmds-<ABI>, the ABI version from the EAL's
file name (librte_eal.so.23.0 -> 23.0)."""

import os
import re
import sys


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    libdir = sys.argv[1]
    eal = os.path.realpath(os.path.join(libdir, "librte_eal.so"))
    try:
        with open(eal, "rb") as f:
            data = f.read()
    except OSError as e:
        sys.exit("dpdk_pmd_dir: cannot read the EAL library: %s" % e)
    # the bare path string, not the "DPDK_PLUGIN_PATH=..." note next to it
    for m in re.finditer(rb"(?<![\x21-\x7e])(/[\x21-\x7e]*/pmds-[0-9]+\.[0-9]+)\x00", data):
        print(m.group(1).decode())
        return
    abi = re.search(r"\.so\.([0-9]+\.[0-9]+)$", eal)
    if abi is None:
        sys.exit("dpdk_pmd_dir: no plugin path in %s and no ABI version in its name" % eal)
    print(os.path.join(libdir, "dpdk", "pmds-" + abi.group(1)))


if __name__ == "__main__":
    main()
