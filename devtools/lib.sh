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

# evq_loadable_plugin PATH: set EVQ_PLUGIN to a path EAL accepts for the
# plugin PATH (-d). EAL refuses a plugin below a world-writable directory (a
# checkout under /tmp, say): then EVQ_PLUGIN is a copy in a private directory
# under /run/evq-test (or ~/.cache/evq-test), named in EVQ_PLUGIN_COPY_DIR for
# the caller to remove; otherwise EVQ_PLUGIN=PATH and EVQ_PLUGIN_COPY_DIR=''.
# (app/test-evq/pmd/evq_pmd_test.py does the same in Python.)
evq_loadable_plugin()
{
	local path base d
	path=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
	# shellcheck disable=SC2034  # results for the caller
	EVQ_PLUGIN=$path
	# shellcheck disable=SC2034
	EVQ_PLUGIN_COPY_DIR=
	evq_world_writable_parent "$path" >/dev/null || return 0
	for base in /run/evq-test "$HOME/.cache/evq-test"; do
		mkdir -p "$base" 2>/dev/null || continue
		! evq_world_writable_parent "$base/x" >/dev/null || continue
		d=$(mktemp -d "$base/run.XXXXXX") || continue
		chmod 0755 "$d"
		if ! cp "$path" "$d/" || ! chmod 0644 "$d/$(basename "$path")"; then
			rm -rf "$d"
			continue
		fi
		# shellcheck disable=SC2034  # results for the caller
		EVQ_PLUGIN=$d/$(basename "$path")
		# shellcheck disable=SC2034
		EVQ_PLUGIN_COPY_DIR=$d
		return 0
	done
	evq_warn "$path is below a world-writable directory and no private copy could be made: EAL will refuse it"
}

# evq_world_writable_parent PATH: print the first world-writable directory
# above PATH (status 0), or fail when there is none.
evq_world_writable_parent()
{
	local d
	d=$(dirname "$1")
	while :; do
		if [ -n "$(find "$d" -maxdepth 0 -perm -0002 2>/dev/null)" ]; then
			printf '%s\n' "$d"
			return 0
		fi
		[ "$d" != / ] || return 1
		d=$(dirname "$d")
	done
}
