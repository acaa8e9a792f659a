# shellcheck shell=bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The evq authors
#
# Debian chroots for the devtools scripts (sourced after lib.sh, not run):
# other Debian releases (trixie for DPDK 24.11 and QEMU's vfio-user client,
# sid for DPDK 25.11) made with debootstrap from the same archive the system
# uses, cached outside the checkout so a fresh clone reuses them.
#
#   evq_chroot_ensure SUITE [PKG...]   make (once) and update the chroot
#   evq_chroot_ensure_from SUITE RELEASE PKG...
#                                      the same, PKG... from RELEASE (e.g.
#                                      trixie-backports)
#   evq_chroot_run SUITE CMD...        run CMD inside, with /proc, /sys, /dev,
#                                      hugepages and extra binds mounted in a
#                                      private mount namespace (gone on exit)
#   evq_dpdk_suite SERIES              the suite that ships DPDK SERIES
#
# The archive's address is read from the system's apt sources at run time
# (never written here); the system's apt configuration is not changed.
# Cache root: $EVQ_CACHE (default /var/cache/evq); one chroot per suite in
# $EVQ_CACHE/chroot/SUITE. Concurrent callers serialise on a lock per suite.
# SUITE may carry a tag, "trixie+dpdk": a second, separate chroot of the
# same Debian suite, for a use whose packages must not meet another's (the
# DPDK test chroots stay plain releases, without backports).

EVQ_CACHE=${EVQ_CACHE:-/var/cache/evq}

# evq_debian_mirror: print the URI of the system's Debian archive (the
# first apt source whose suites include the system's own codename and that
# is not a security archive).
evq_debian_mirror()
{
	local codename
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	python3 - "$codename" <<'EOF'
import glob, re, sys
codename = sys.argv[1]
cands = []
for f in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
    for stanza in re.split(r"\n\s*\n", open(f).read()):
        fields = {}
        for line in stanza.splitlines():
            if line.startswith("#") or ":" not in line:
                continue
            k, v = line.split(":", 1)
            fields[k.strip().lower()] = v.split()
        if "deb" not in fields.get("types", []):
            continue
        for uri in fields.get("uris", []):
            cands.append((uri, fields.get("suites", [])))
for f in ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list")):
    try:
        lines = open(f).read().splitlines()
    except OSError:
        continue
    for line in lines:
        m = re.match(r"\s*deb\s+(\[[^\]]*\]\s+)?(\S+)\s+(\S+)", line)
        if m:
            cands.append((m.group(2), [m.group(3)]))
for uri, suites in cands:
    if codename in suites and "security" not in uri:
        print(uri.rstrip("/"))
        sys.exit(0)
sys.exit(1)
EOF
}

# evq_dpdk_suite SERIES: print the Debian suite whose DPDK is the LTS
# series SERIES (24.11 -> trixie, 25.11 -> sid); --list prints the known
# series. Fails for a series no suite here ships.
evq_dpdk_suite()
{
	case $1 in
	24.11) echo trixie ;;
	25.11) echo sid ;;
	--list) echo "24.11 25.11" ;;
	*) return 1 ;;
	esac
}

# evq_chroot_dir SUITE: print the chroot's directory.
evq_chroot_dir()
{
	printf '%s/chroot/%s\n' "$EVQ_CACHE" "$1"
}

# evq_chroot_apt_sources SUITE MIRROR: the chroot's sources.list. trixie
# also gets trixie-backports (QEMU with vfio-user-pci is only there); sid's
# Release file may be past its Valid-Until on the archive we are given.
evq_chroot_apt_sources()
{
	local suite=$1 mirror=$2
	echo "deb $mirror $suite main"
	case $suite in
	trixie) echo "deb $mirror trixie-backports main" ;;
	esac
}

# evq_chroot_ensure SUITE [PKG...]: debootstrap the chroot once, then make
# sure PKG... are installed in it (apt-get update only when one is missing).
evq_chroot_ensure()
{
	local suite=$1 dir mirror lock missing=() p
	shift
	dir=$(evq_chroot_dir "$suite")
	mkdir -p "$EVQ_CACHE/chroot"
	lock=$EVQ_CACHE/chroot/$suite.lock
	exec {lockfd}>"$lock"
	flock "$lockfd"

	if [ ! -e "$dir/.evq-ready" ]; then
		command -v debootstrap >/dev/null ||
			evq_run_logged apt-install-debootstrap apt-get -y -q \
				-o DPkg::Lock::Timeout=900 install --no-install-recommends debootstrap ||
			{ flock -u "$lockfd"; evq_warn "cannot install debootstrap"; return 1; }
		mirror=$(evq_debian_mirror) ||
			{ flock -u "$lockfd"; evq_warn "no Debian archive found in the system's apt sources"; return 1; }
		evq_info "chroot: debootstrap ${suite%%+*} into $dir (once; about 30 s)"
		rm -rf "$dir"
		if ! evq_run_logged "debootstrap-$suite" debootstrap --variant=minbase \
				"${suite%%+*}" "$dir" "$mirror"; then
			rm -rf "$dir"
			flock -u "$lockfd"
			return 1
		fi
		evq_chroot_apt_sources "${suite%%+*}" "$mirror" >"$dir/etc/apt/sources.list"
		cat >"$dir/etc/apt/apt.conf.d/90evq" <<'EOF'
Acquire::Check-Valid-Until "false";
Acquire::Retries "3";
APT::Install-Recommends "false";
DPkg::Lock::Timeout "900";
EOF
		touch "$dir/.evq-ready"
	fi
	cp /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true

	for p in "$@"; do
		[ "$(chroot "$dir" dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null)" = "ii " ] ||
			missing+=("$p")
	done
	if [ "${#missing[@]}" -gt 0 ]; then
		evq_info "chroot $suite: installing ${missing[*]}"
		if ! evq_chroot_apt "$suite" install install "${missing[@]}"; then
			flock -u "$lockfd"
			return 1
		fi
	fi
	flock -u "$lockfd"
	exec {lockfd}>&-
}

# evq_chroot_apt SUITE LOG APT-ARGS...: apt-get update, then apt-get -y -q
# APT-ARGS... inside the chroot (logs chroot-SUITE-update, chroot-SUITE-LOG).
# The caller holds the suite's lock.
evq_chroot_apt()
{
	local suite=$1 log=$2
	shift 2
	evq_run_logged "chroot-$suite-update" evq_chroot_run "$suite" \
		env DEBIAN_FRONTEND=noninteractive apt-get -y -q update &&
	evq_run_logged "chroot-$suite-$log" evq_chroot_run "$suite" \
		env DEBIAN_FRONTEND=noninteractive apt-get -y -q "$@"
}

# evq_chroot_run SUITE CMD...: run CMD as root inside the chroot of SUITE.
# Mounted for it, in a private mount namespace that disappears with CMD:
# /proc, /sys, /dev (with /dev/pts, /dev/shm, /dev/hugepages), a fresh /run
# and /tmp, and each "HOST:INSIDE[:ro]" of $EVQ_CHROOT_BINDS (space-separated).
# With EVQ_CHROOT_SCRATCH=1, CMD runs on a throw-away copy of the chroot (an
# overlay whose changes live in memory and vanish with CMD): for tests that
# must start from the cached, clean chroot every time (package installs).
evq_chroot_run()
{
	local suite=$1 dir
	shift
	dir=$(evq_chroot_dir "$suite")
	[ -d "$dir" ] || { evq_warn "no chroot for $suite (evq_chroot_ensure first)"; return 1; }
	[ -z "${EVQ_CHROOT_SCRATCH:-}" ] || mkdir -p "$EVQ_CACHE/chroot/.scratch"
	EVQ_CHROOT_DIR=$dir EVQ_CHROOT_SCRATCH_DIR=$EVQ_CACHE/chroot/.scratch \
	unshare --mount --propagation private -- bash -c '
		set -e
		d=$EVQ_CHROOT_DIR
		if [ -n "${EVQ_CHROOT_SCRATCH:-}" ]; then
			s=$EVQ_CHROOT_SCRATCH_DIR
			mount -t tmpfs -o mode=0755 tmpfs "$s"
			mkdir "$s/upper" "$s/work" "$s/root"
			mount -t overlay overlay \
				-o "lowerdir=$d,upperdir=$s/upper,workdir=$s/work" "$s/root"
			d=$s/root
		else
			# make the chroot root a mount point of its own, as
			# on a real system (ip netns remounts / as a slave)
			mount --bind "$d" "$d"
		fi
		mount -t proc proc "$d/proc"
		mount --rbind /sys "$d/sys"
		mount --rbind /dev "$d/dev"
		mount -t tmpfs -o mode=0755 tmpfs "$d/run"
		mkdir -p "$d/run/lock" "$d/tmp"
		mount -t tmpfs -o mode=1777 tmpfs "$d/tmp"
		for b in ${EVQ_CHROOT_BINDS:-}; do
			IFS=: read -r src dst opt <<<"$b"
			mkdir -p "$d$dst"
			mount --rbind "$src" "$d$dst"
			[ "$opt" != ro ] || mount -o remount,bind,ro "$d$dst"
		done
		exec chroot "$d" "$@"
	' evq-chroot "$@"
}

# evq_chroot_ensure_from SUITE RELEASE PKG...: evq_chroot_ensure SUITE, then
# make sure PKG... are installed in it from RELEASE (apt's target release,
# e.g. trixie-backports, so that their dependencies come from there too
# when needed): a package missing, or installed at another version than
# RELEASE's candidate, is (re)installed.
evq_chroot_ensure_from()
{
	local suite=$1 release=$2 dir lock want=() p inst cand
	shift 2
	evq_chroot_ensure "$suite" || return 1
	dir=$(evq_chroot_dir "$suite")
	lock=$EVQ_CACHE/chroot/$suite.lock
	exec {lockfd}>"$lock"
	flock "$lockfd"
	for p in "$@"; do
		inst=$(chroot "$dir" dpkg-query -W -f='${db:Status-Abbrev} ${Version}' "$p" 2>/dev/null)
		case $inst in
		"ii  "*) ;;
		*) want+=("$p"); continue ;;
		esac
		# installed: from RELEASE? (its candidate with -t RELEASE)
		cand=$(chroot "$dir" apt-cache -t "$release" policy "$p" 2>/dev/null |
			awk '$1 == "Candidate:" { print $2 }')
		[ "${inst#ii  }" = "$cand" ] || want+=("$p")
	done
	if [ "${#want[@]}" -gt 0 ]; then
		evq_info "chroot $suite: installing ${want[*]} from $release"
		if ! evq_chroot_apt "$suite" "install-$release" -t "$release" install \
				"${want[@]}"; then
			flock -u "$lockfd"
			exec {lockfd}>&-
			return 1
		fi
	fi
	flock -u "$lockfd"
	exec {lockfd}>&-
}
