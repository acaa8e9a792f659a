# shellcheck shell=bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The evq authors
#
# Shell helpers shared by the benchmark scripts in devtools/bench.d/ and
# devtools/run (sourced, not run): paths of the tools (testpmd, l3fwd-power, evq-rategen,
# the evq PMD and evq-sim), background processes that are always cleaned up
# (each in its own process group, stopped on exit, Ctrl-C or error),
# waiting for sockets and log lines with deadlines, testpmd throughput
# parsing, per-thread CPU time, and the JSON result rows.
#
# Usage: EVQ_PROG=pmd . devtools/lib-bench.sh; bench_init pmd

# shellcheck source=devtools/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# shellcheck disable=SC2034 # used by the scripts that source this file
EVQ_BUILD=${EVQ_BUILD:-$EVQ_ROOT/build}
BENCH_RUN_DIR=/run/evq-bench		# sockets
BENCH_OUT_DIR=$EVQ_BUILD/bench		# logs, plots
BENCH_TESTPMD=${BENCH_TESTPMD:-dpdk-testpmd}
BENCH_L3FWD_POWER=${BENCH_L3FWD_POWER:-$EVQ_ROOT/build-deps/l3fwd-power/build/l3fwd-power}
BENCH_RATEGEN=$EVQ_BUILD/app/test-evq/bench/evq-rategen
# (overridable: A/B comparisons of two builds of the PMD or the adapter)
BENCH_EVQ_PMD=${BENCH_EVQ_PMD:-$EVQ_BUILD/drivers/net/evq/librte_net_evq.so}
BENCH_EVQ_SIM=${BENCH_EVQ_SIM:-$EVQ_BUILD/app/evq-sim/evq-sim}
# Debian's python3 (it has python3-matplotlib from devtools/setup), not a
# python3 that happens to come first in PATH.
BENCH_PYTHON=${BENCH_PYTHON:-$( [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3)}
# Every DPDK process: hugepages, no files left behind, one fd per memseg
# list (vhost-user, virtio-user and vfio-user share memory by fd).
# shellcheck disable=SC2034
BENCH_EAL_MEM=(--in-memory --single-file-segments --no-pci)

BENCH_PIDS=()
BENCH_SOCKETS=()

bench_msg()
{
	printf '%s: %s\n' "$EVQ_PROG" "$*" >&2
}

# bench_init NAME: output/log dirs, socket dir, cleanup traps.
bench_init()
{
	BENCH_NAME=$1
	BENCH_LOG_DIR=$BENCH_OUT_DIR/$BENCH_NAME-logs
	mkdir -p "$BENCH_LOG_DIR" "$BENCH_RUN_DIR" || evq_die "cannot create $BENCH_LOG_DIR or $BENCH_RUN_DIR"
	trap bench_cleanup EXIT
	trap 'bench_msg "interrupted"; exit 130' INT TERM HUP
}

# ------------------------------------------------------------ tools

# bench_need_peer_tools [l3fwd-power] [rategen]: die with what to do if missing.
bench_need_tools()
{
	local t
	for t in "$@"; do
		case $t in
		testpmd)
			command -v "$BENCH_TESTPMD" >/dev/null ||
				evq_die "no $BENCH_TESTPMD (Debian package dpdk-dev): run devtools/setup" ;;
		l3fwd-power)
			[ -x "$BENCH_L3FWD_POWER" ] ||
				evq_die "no $BENCH_L3FWD_POWER: run devtools/setup (builds Debian's example)" ;;
		rategen)
			[ -x "$BENCH_RATEGEN" ] ||
				evq_die "no $BENCH_RATEGEN: build $EVQ_BUILD (ninja -C $EVQ_BUILD)" ;;
		python3)
			command -v "$BENCH_PYTHON" >/dev/null || evq_die "no $BENCH_PYTHON" ;;
		esac
	done
}

# bench_evq_available: 0 if the PMD plugin and the adapter model exist;
# otherwise say on stderr which is missing (evq rows are then null).
bench_evq_available()
{
	local missing=()
	[ -f "$BENCH_EVQ_PMD" ] || missing+=("$BENCH_EVQ_PMD")
	[ -x "$BENCH_EVQ_SIM" ] || missing+=("$BENCH_EVQ_SIM")
	if [ ${#missing[@]} -ne 0 ]; then
		bench_msg "evq rows skipped (\"evq\": null): not built yet: ${missing[*]}"
		return 1
	fi
	return 0
}

# bench_hugepages_free: free 2 MiB hugepages now.
bench_hugepages_free()
{
	cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages 2>/dev/null || echo 0
}

bench_need_hugepages()
{
	local want=$1 free
	free=$(bench_hugepages_free)
	if [ "$free" -lt "$want" ]; then
		evq_die "only $free free 2 MiB hugepages, $want needed (devtools/setup reserves 1024;" \
			"another DPDK process may hold them: ls /dev/hugepages, /var/run/dpdk)"
	fi
}

# bench_check_quiet: warn when other work keeps the CPUs busy (measured
# over half a second before anything of ours runs): the benchmarks pin
# one thread per core, so any other load lowers and scatters the numbers.
bench_check_quiet()
{
	local a b busy
	a=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $5 + $6 }' /proc/stat)
	sleep 0.5
	b=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $5 + $6 }' /proc/stat)
	busy=$(awk -v a="$a" -v b="$b" 'BEGIN {
		split(a, x, " "); split(b, y, " ")
		t = (y[1] - x[1]) + (y[2] - x[2])
		printf "%d\n", (t > 0) ? 100 * (y[1] - x[1]) / t : 0 }')
	if [ "$busy" -gt 15 ]; then
		bench_msg "warning: the CPUs are already ${busy}% busy (load average" \
			"$(cut -d' ' -f1 /proc/loadavg)): results will be low and noisy; run on an idle machine"
	fi
}

# ------------------------------------------------- background processes

# bench_spawn VAR LOG CMD...: run CMD in the background in its own session
# and process group (so it and its children are stopped together), output
# to LOG; the pid goes into VAR and into the cleanup list. Disowned: the
# shell still reaps it but prints no job notice when it dies of a signal
# (net_memif's server crashes on exit in 22.11).
bench_spawn()
{
	local var=$1 log=$2 pid
	shift 2
	setsid "$@" >"$log" 2>&1 </dev/null &
	pid=$!
	disown "$pid"
	BENCH_PIDS+=("$pid")
	printf -v "$var" '%s' "$pid"
}

# bench_alive PID
bench_alive()
{
	kill -0 "$1" 2>/dev/null
}

# bench_stop PID [SIGNAL] [SECONDS]: signal the process group (default
# SIGTERM, on which testpmd, evq-sim, l3fwd-power and evq-rategen print
# their totals and exit; SIGINT is ignored by background jobs of a script),
# wait up to SECONDS (default 10), then SIGKILL the group.
bench_stop()
{
	local pid=$1 sig=${2:-TERM} secs=${3:-10} i name
	[ -n "$pid" ] || return 0
	name=$(cat "/proc/$pid/comm" 2>/dev/null) || name=process
	if bench_alive "$pid"; then
		kill -s "$sig" -- "-$pid" 2>/dev/null || kill -s "$sig" "$pid" 2>/dev/null || true
		for ((i = 0; i < secs * 20; i++)); do
			bench_alive "$pid" || break
			# a zombie child counts as gone
			[ "$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)" = Z ] && break
			sleep 0.05
		done
		if bench_alive "$pid" && [ "$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)" != Z ]; then
			bench_msg "$name (pid $pid) did not stop on SIG$sig in ${secs}s: killing it"
			kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
		fi
	fi
	local keep=() p
	for p in "${BENCH_PIDS[@]}"; do
		[ "$p" = "$pid" ] || keep+=("$p")
	done
	BENCH_PIDS=("${keep[@]}")
}

# bench_socket PATH: a socket path we own (removed now if stale, and on exit).
bench_socket()
{
	rm -f "$1"
	BENCH_SOCKETS+=("$1")
}

bench_cleanup()
{
	local rc=$? i s pids=("${BENCH_PIDS[@]}")
	trap - EXIT INT TERM HUP
	for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
		bench_stop "${pids[$i]}" TERM 3
	done
	for s in "${BENCH_SOCKETS[@]}"; do
		rm -f "$s"
	done
	exit "$rc"
}

# bench_wait_socket PATH SECONDS PID: wait until PATH is a socket; fail if
# PID dies or the time is up.
bench_wait_socket()
{
	local path=$1 secs=$2 pid=$3 i
	for ((i = 0; i < secs * 20; i++)); do
		[ -S "$path" ] && return 0
		bench_alive "$pid" || return 1
		sleep 0.05
	done
	return 1
}

# bench_wait_log FILE REGEX SECONDS PID [OFFSET]: wait until FILE, from byte
# OFFSET on (default 0), has a line matching REGEX (grep -E); fail if PID
# dies first or the time is up.
bench_wait_log()
{
	local file=$1 re=$2 secs=$3 pid=$4 off=${5:-0} i
	for ((i = 0; i < secs * 20; i++)); do
		tail -c +"$((off + 1))" "$file" 2>/dev/null | grep -qE -- "$re" && return 0
		bench_alive "$pid" || {
			tail -c +"$((off + 1))" "$file" 2>/dev/null | grep -qE -- "$re"
			return
		}
		sleep 0.05
	done
	return 1
}

# bench_log_tail FILE: the last lines of a log, indented, on stderr.
bench_log_tail()
{
	bench_msg "last lines of ${1#"$EVQ_ROOT"/}:"
	tail -n "${2:-15}" "$1" 2>/dev/null | sed 's/^/    /' >&2
}

# ------------------------------------------------------- testpmd stats

# bench_testpmd_samples LOG FIELD: the values of FIELD (Rx-pps or Tx-pps)
# that testpmd's --stats-period printed, one a line, from the first
# non-zero one on (before it the peer was not connected yet).
bench_testpmd_samples()
{
	awk -v f="$2:" '
	{
		for (i = 1; i < NF; i++)
			if ($i == f) {
				if ($(i + 1) + 0 > 0) started = 1
				if (started) print $(i + 1) + 0
			}
	}' "$1" 2>/dev/null
}

# bench_testpmd_wait LOG FIELD COUNT SECONDS PID: wait until COUNT samples
# (counted from the first non-zero one) are in LOG.
bench_testpmd_wait()
{
	local log=$1 field=$2 count=$3 secs=$4 pid=$5 i
	for ((i = 0; i < secs * 10; i++)); do
		[ "$(bench_testpmd_samples "$log" "$field" | wc -l)" -ge "$count" ] && return 0
		bench_alive "$pid" || return 1
		sleep 0.1
	done
	return 1
}

# bench_testpmd_mpps LOG FIELD SKIP COUNT: mean of COUNT samples after the
# first SKIP (warm-up), in Mpps with 3 decimals. Each testpmd sample is the
# packet count over its own measured interval ("since last show"), so the
# mean of consecutive 1 s samples is the rate over the whole window.
bench_testpmd_mpps()
{
	bench_testpmd_samples "$1" "$2" | awk -v skip="$3" -v n="$4" '
	NR > skip && NR <= skip + n { sum += $1; got++ }
	END { if (got == n && n > 0) printf "%.3f\n", sum / n / 1e6 }'
}

# ------------------------------------------------------------ CPU time

# bench_find_thread PID NAME...: tid of PID's first thread whose name (comm)
# is one of NAMEs; fails if none.
bench_find_thread()
{
	local pid=$1 t comm n
	shift
	for t in /proc/"$pid"/task/*; do
		comm=$(cat "$t/comm" 2>/dev/null) || continue
		for n in "$@"; do
			[ "$comm" = "$n" ] && { basename "$t"; return 0; }
		done
	done
	return 1
}

# bench_thread_cpu_ns PID TID: CPU time of one thread in ns (schedstat run
# time; utime+stime from stat as a fallback, 1/CLK_TCK resolution).
bench_thread_cpu_ns()
{
	local f=/proc/$1/task/$2 v
	if read -r v _ <"$f/schedstat" 2>/dev/null && [ -n "$v" ]; then
		echo "$v"
		return
	fi
	awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.0f\n", ($12 + $13) * 1e9 / hz }' "$f/stat"
}

# bench_proc_cpu_ns PID: CPU time of all threads of PID in ns.
bench_proc_cpu_ns()
{
	local t sum=0 v
	for t in /proc/"$1"/task/*; do
		v=$(bench_thread_cpu_ns "$1" "$(basename "$t")" 2>/dev/null) || continue
		sum=$((sum + ${v:-0}))
	done
	echo "$sum"
}

# bench_now_ns: CLOCK_MONOTONIC-ish wall time in ns.
bench_now_ns()
{
	date +%s%N
}

# ------------------------------------------------------------ results

# bench_json_field JSON KEY: a scalar of a one-line JSON object, or "".
bench_json_field()
{
	printf '%s\n' "$1" | "$BENCH_PYTHON" -c '
import json, sys
try:
    v = json.loads(sys.stdin.read()).get(sys.argv[1])
except ValueError:
    v = None
print("" if v is None else v)' "$2"
}

# bench_ratio X Y: X/Y with 3 decimals, or null.
bench_ratio()
{
	awk -v x="$1" -v y="$2" 'BEGIN {
		if (x == "" || y == "" || x == "null" || y == "null" || y + 0 == 0) print "null"
		else printf "%.3f\n", x / y }'
}

# bench_row BENCH METRIC UNIT EVQ PEER_NAME PEER [EXTRA]: one result line
# on stdout; EVQ or PEER empty = null; EXTRA = '"key": value' fields put
# after the metric.
bench_row()
{
	local bench=$1 metric=$2 unit=$3 evq=${4:-null} peer_name=$5 peer=${6:-null} extra=${7:-}
	[ -n "$extra" ] && extra=", $extra"
	printf '{"bench": "%s", "metric": "%s"%s, "unit": "%s", "evq": %s, "peer_name": "%s", "peer": %s, "ratio": %s}\n' \
		"$bench" "$metric" "$extra" "$unit" "$evq" "$peer_name" "$peer" "$(bench_ratio "$evq" "$peer")"
}

# bench_median V...: median of numbers ("" and null ignored), or "".
bench_median()
{
	printf '%s\n' "$@" | sort -g | awk '
	!/^[0-9]+(\.[0-9]*)?$/ { next }
	{ v[++n] = $1 }
	END {
		if (n == 0) exit
		if (n % 2) printf "%.3f\n", v[(n + 1) / 2]
		else printf "%.3f\n", (v[n / 2] + v[n / 2 + 1]) / 2
	}'
}
