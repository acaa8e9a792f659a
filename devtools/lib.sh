# shellcheck shell=bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The evq authors
#
# Shell helpers shared by the devtools scripts (sourced, not run): the repo
# root, progress/warning/error lines, and running a noisy command with its
# output kept in a log that is shown only when the command fails.

EVQ_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EVQ_PROG=${EVQ_PROG:-$(basename "$0")}
EVQ_QUIET=${EVQ_QUIET:-0}
EVQ_LOG_DIR=$EVQ_ROOT/build-deps/logs

evq_info()
{
	[ "$EVQ_QUIET" = 1 ] || printf '%s: %s\n' "$EVQ_PROG" "$*"
}

evq_warn()
{
	printf '%s: warning: %s\n' "$EVQ_PROG" "$*" >&2
}

evq_die()
{
	printf '%s: error: %s\n' "$EVQ_PROG" "$*" >&2
	exit 1
}

# evq_run_logged NAME CMD...: run CMD with its output in $EVQ_LOG_DIR/NAME.log;
# on failure print the log's tail and return CMD's status.
evq_run_logged()
{
	local name=$1 log rc=0
	shift
	mkdir -p "$EVQ_LOG_DIR"
	log=$EVQ_LOG_DIR/$name.log
	"$@" >"$log" 2>&1 </dev/null || rc=$?
	if [ "$rc" -ne 0 ]; then
		printf '%s: "%s" failed (exit %d); last lines of %s:\n' \
			"$EVQ_PROG" "$*" "$rc" "${log#"$EVQ_ROOT"/}" >&2
		tail -n 40 "$log" >&2
	fi
	return "$rc"
}
