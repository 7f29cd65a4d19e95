# lib.sh - helpers shared by the shell tests (sourced, POSIX sh).
#
# A test sources this, calls t_init, then reports each check with t_ok or
# t_fail (or through t_check / t_usage), and ends with t_done.  Output is one
# line per check, "ok - ..." or "not ok - ...", so the log reads as TAP.
# Exit status: 0 all passed, 1 something failed, 77 skipped (automake's
# convention) when the program or a tool a test needs is absent.
#
# Every wait here is bounded: t_wait_until polls with a deadline, and every
# run of the program goes through t_timeout.  The program runs with a private
# TMPDIR that t_done removes (and tests may check is still empty).

# shellcheck disable=SC2034 # t_waited and t_parent are read by the tests
t_passed=0
t_failed=0

t_init() {
	if [ -z "${LOCKSTEP:-}" ] || [ ! -x "$LOCKSTEP" ]; then
		echo "skip: LOCKSTEP is not set to the built program (make check sets it)"
		exit 77
	fi
	t_dir=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-test.XXXXXX") || exit 99
	# The program's own temporary files go here, where a test can see them.
	mkdir "$t_dir/tmp" || exit 99
	TMPDIR="$t_dir/tmp"
	export TMPDIR
	# Messages are checked in English, without colour.
	LC_ALL=C
	NO_COLOR=1
	export LC_ALL NO_COLOR
	t_bg_pids=""
	trap 't_cleanup' EXIT
	trap 't_cleanup; exit 1' HUP INT TERM
}

# Kill whatever a test left running (only pids it recorded) and remove files.
t_cleanup() {
	for p in $t_bg_pids; do
		kill -KILL "$p" 2>/dev/null
	done
	[ -n "${t_dir:-}" ] && rm -rf "$t_dir"
	t_dir=""
}

t_ok() {
	t_passed=$((t_passed + 1))
	echo "ok - $*"
}

t_fail() {
	t_failed=$((t_failed + 1))
	echo "not ok - $*"
}

t_skip() {
	echo "ok - $1 # SKIP $2"
}

# t_note TEXT: a diagnostic line, indented like TAP's.
t_note() {
	printf '%s\n' "$*" | sed 's/^/#   /'
}

# t_check NAME COMMAND...: ok when COMMAND succeeds.
t_check() {
	t_name=$1
	shift
	if "$@"; then t_ok "$t_name"; else t_fail "$t_name"; fi
}

t_done() {
	echo "# $t_passed passed, $t_failed failed"
	[ "$t_failed" -eq 0 ]
	exit $?
}

# t_timeout SECONDS COMMAND...: run COMMAND, killed if it outlives SECONDS.
t_timeout() {
	t_secs=$1
	shift
	if command -v timeout >/dev/null 2>&1; then
		timeout -k 5 "$t_secs" "$@"
	else
		"$@"
	fi
}

# t_run ARGS...: run the program with no terminal and no input; its output
# goes to $t_dir/out and $t_dir/err, its exit status to $t_rc.
t_run() {
	t_rc=0
	t_timeout 120 "$LOCKSTEP" "$@" </dev/null >"$t_dir/out" 2>"$t_dir/err" || t_rc=$?
}

t_lines() {
	wc -l <"$1" | tr -d ' '
}

# t_usage NAME PATTERN ARGS...: bad input must give exit 2, nothing on stdout
# and exactly one line on stderr, matching the grep -E PATTERN and ending
# with the hint "(see lockstep --help)".
t_usage() {
	t_name=$1
	t_pat=$2
	shift 2
	t_run "$@"
	if [ "$t_rc" -eq 2 ] && [ ! -s "$t_dir/out" ] && [ "$(t_lines "$t_dir/err")" = 1 ] &&
	   grep -Eq -- "$t_pat" "$t_dir/err" && grep -q " (see lockstep --help)\$" "$t_dir/err"; then
		t_ok "$t_name"
	else
		t_fail "$t_name (exit $t_rc, want 2; one stderr line matching '$t_pat', ending with the hint)"
		t_note "$(cat "$t_dir/err")"
		[ -s "$t_dir/out" ] && t_note "stdout: $(head -c 300 "$t_dir/out")"
	fi
}

# t_wait_until SECONDS COMMAND...: poll every 0.1 s; 0 once COMMAND succeeds,
# 1 when SECONDS pass first.  t_waited says roughly how long it took.
t_wait_until() {
	t_ticks=0
	t_max=$(($1 * 10))
	shift
	while [ "$t_ticks" -lt "$t_max" ]; do
		if "$@"; then
			t_waited=$((t_ticks / 10)).$((t_ticks % 10))
			return 0
		fi
		sleep 0.1
		t_ticks=$((t_ticks + 1))
	done
	t_waited=$((t_max / 10))
	"$@"
}

# --- processes, read from /proc (procps may not be installed) ---------------

# t_state PID: the process's state letter (R, S, Z, ...), empty when gone.
t_state() {
	t_line=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
	# The command name may hold spaces; the fields after its ')' do not.
	t_rest=${t_line##*) }
	printf '%s\n' "${t_rest%% *}"
}

# t_alive PID: the process exists and is not a zombie.
t_alive() {
	t_s=$(t_state "$1")
	[ -n "$t_s" ] && [ "$t_s" != Z ]
}

t_gone() {
	! t_alive "$1"
}

# t_children PID: the pids of PID's live children, one per line.
t_children() {
	# One pass over /proc (cat, not awk's own reading: a process may go
	# between the glob and the read).  A loop of one cat per process was
	# slow enough under load for a 10 s run to end before its signal came.
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v want="$t_parent" '{
		pid = $1
		sub(/^.*\) /, "")      # the name may hold spaces and parens
		if ($2 == want && $1 != "Z")
			print pid
	}'
}

# t_count_children PID: how many live children PID has.
t_count_children() {
	t_parent=$1
	t_children | wc -l | tr -d ' '
}

# t_has_children PID N: PID has at least N live children.
t_has_children() {
	[ "$(t_count_children "$1")" -ge "$2" ]
}

# t_none_alive PID...: none of the given processes is alive.
t_none_alive() {
	for t_p in "$@"; do
		t_alive "$t_p" && return 1
	done
	return 0
}

# t_json_after FILE TEXT: the number right after the first TEXT in FILE
# (e.g. t_json_after out '"vars":{"balance":'), empty when there is none.
t_json_after() {
	awk -v p="$2" '{
		i = index($0, p)
		if (i) {
			s = substr($0, i + length(p))
			if (match(s, /^-?[0-9][0-9.]*/))
				print substr(s, 1, RLENGTH)
			exit
		}
	}' "$1"
}
