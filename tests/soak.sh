#!/bin/sh
# soak.sh - `make soak`: many mixed runs (scenarios x threads/processes x
# free/random), some of them signalled, some with an actor process stopped
# or killed, and a report of what went wrong: failures (an exit status not
# expected), hangs (a run outliving its bound), leftovers (a process or a
# temporary file after a run) and memory (each run's peak RSS, first runs
# against last; and one long-lived explorer's RSS over time).
#
# Not part of `make check`: it takes minutes.  SOAK_RUNS sets how many runs
# (default 1000).  Exit status 1 when anything went wrong.
# shellcheck disable=SC2016,SC2154,SC2034
. "$(dirname "$0")/lib.sh"
t_init
d=$t_dir
RUNS=${SOAK_RUNS:-1000}
ulimit -c 0 2>/dev/null
exe=$(readlink -f "$LOCKSTEP")

ours() {
	find /proc/[0-9]*/exe -maxdepth 0 -lname "$exe" 2>/dev/null |
	while read -r p; do
		p=${p%/exe}
		tr '\0' '\n' 2>/dev/null <"$p/environ" | grep -qx "TMPDIR=$TMPDIR" || continue
		p=${p#/proc/}
		t_alive "$p" && echo "$p"
	done
}
none_left() { [ -z "$(ours)" ]; }
tmp_empty() { [ -z "$(ls -A "$TMPDIR")" ]; }
children() {
	cat /proc/[0-9]*/stat 2>/dev/null |
	awk -v want="$1" '{ pid = $1; sub(/^.*\) /, ""); if ($2 == want && $1 != "Z") print pid }'
}
# lockstep_of PID: the program among PID and its descendants (under time
# and timeout), empty when it is not there (yet, or any more).
lockstep_of() {
	q=$1
	for depth in 1 2 3 4; do
		next=""
		for p in $q; do
			[ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$exe" ] && { echo "$p"; return; }
			next="$next $(children "$p")"
		done
		q=$next
	done
}
has_lockstep() { [ -n "$(lockstep_of "$1")" ]; }
# Peak RSS (kB) of a finished child: GNU time when there is one.
if [ -x /usr/bin/time ] && /usr/bin/time -f %M true 2>/dev/null; then
	timed() { /usr/bin/time -o "$d/rss" -f %M "$@"; }
else
	timed() { echo 0 >"$d/rss"; "$@"; }
fi

scenarios='deposit depositors=20 delay_ms=0
deposit depositors=20 delay_ms=0 locked=1
tickets buyers=10 read_delay_ms=0 write_delay_ms=0 lock=none
tickets buyers=10 read_delay_ms=0 write_delay_ms=0 lock=mutex
tickets buyers=10 read_delay_ms=0 write_delay_ms=0 lock=flock
semaphore threads=10 slots=3 hold_ms=5
traffic cars=2 cycles=1 tick_ms=5 green_ticks=2 red_ticks=2
door staff=3 tick_ms=5 gap_ms=5
gil workers=2 work_ms=20
rlock threads=2'
nscen=$(printf '%s\n' "$scenarios" | wc -l)
# Runs that are signalled or lose an actor last long enough for it.
long_free='deposit depositors=20 delay_ms=1000
tickets buyers=10 read_delay_ms=1000
semaphore threads=10 slots=3 hold_ms=500
traffic cars=2 cycles=2 tick_ms=100
door staff=3 tick_ms=200
gil workers=2 work_ms=2000'
long_random='deposit depositors=500 delay_ms=0
tickets buyers=300
traffic cars=4 cycles=100 green_ticks=20 red_ticks=20'
nlong_free=$(printf '%s\n' "$long_free" | wc -l)
nlong_random=$(printf '%s\n' "$long_random" | wc -l)
sigs="INT TERM HUP QUIT USR1 USR2 ALRM XCPU"
nsigs=8

runs=0 failures=0 hangs=0 leftover_procs=0 leftover_files=0 signalled=0 stopped=0 killed=0
: >"$d/rss.log"
: >"$d/failures.log"
start=$(date +%s)
i=0
while [ "$i" -lt "$RUNS" ]; do
	scen=$(printf '%s\n' "$scenarios" | sed -n "$((i % nscen + 1))p")
	case $(((i / nscen) % 4)) in
	0) kind=threads; mode=free ;;
	1) kind=processes; mode=free ;;
	2) kind=threads; mode=random ;;
	3) kind=processes; mode=random ;;
	esac
	# What happens to it: every 7th is signalled, every 11th process run
	# has a child stopped, every 13th a child killed.
	fault=none
	if [ $((i % 7)) -eq 3 ]; then
		fault=signal
	elif [ "$kind" = processes ] && [ $((i % 11)) -eq 5 ]; then
		fault=stop
	elif [ "$kind" = processes ] && [ $((i % 13)) -eq 6 ]; then
		fault=kill
	fi
	if [ "$fault" != none ] && [ "$mode" = free ]; then
		scen=$(printf '%s\n' "$long_free" | sed -n "$((i % nlong_free + 1))p")
	elif [ "$fault" != none ]; then
		scen=$(printf '%s\n' "$long_random" | sed -n "$((i % nlong_random + 1))p")
	fi
	# Losing an actor others depend on (traffic's light, door's door) leaves
	# them polling for ever, as the lesson's Python would: a run that never
	# ends by itself, not a hang of ours.  Kill and stop independent ones.
	case $fault:$scen in
	kill:traffic*|kill:door*|kill:gil*|stop:traffic*|stop:door*|stop:gil*)
		scen="deposit depositors=300 delay_ms=$([ "$mode" = free ] && echo 1000 || echo 0)" ;;
	esac
	sig=$(echo $sigs | cut -d' ' -f$((i % nsigs + 1)))
	seed=""
	[ "$mode" = random ] && seed=--seed=$((i + 1))
	# shellcheck disable=SC2086 # the scenario's words
	timed timeout -s KILL 60 "$LOCKSTEP" run $scen "--actors=$kind" "--schedule=$mode" \
		$seed </dev/null >"$d/out" 2>"$d/err" &
	pid=$!
	lp=""
	[ "$fault" = none ] || t_wait_until 5 has_lockstep "$pid"
	case $fault in
	signal)
		signalled=$((signalled + 1))
		sleep 0.0$((i % 9 + 1))
		lp=$(lockstep_of "$pid")
		[ -n "$lp" ] && kill -s "$sig" "$lp" 2>/dev/null ;;
	stop|kill)
		sleep 0.05
		lp=$(lockstep_of "$pid")
		c=$(children "${lp:-0}" | head -n 1)
		if [ -n "$c" ]; then
			if [ $fault = stop ]; then
				stopped=$((stopped + 1)); kill -STOP "$c" 2>/dev/null
			else
				killed=$((killed + 1)); kill -KILL "$c" 2>/dev/null
			fi
		fi ;;
	esac
	rc=0
	wait "$pid" || rc=$?
	runs=$((runs + 1))
	what="run $i: $scen --actors=$kind --schedule=$mode $seed fault=$fault"
	[ "$fault" = signal ] && what="$what ($sig)"
	# GNU time reports a child killed by a signal as "Command terminated by
	# signal N" and exits 128+N itself.
	ok=0
	case $rc in
	0) ok=1 ;;
	137) ;;   # timeout's SIGKILL: a hang
	*) [ "$fault" = signal ] && [ "$rc" -gt 128 ] && ok=1 ;;
	esac
	if [ "$rc" -eq 137 ]; then
		hangs=$((hangs + 1))
		echo "HANG: $what" >>"$d/failures.log"
	elif [ "$ok" -eq 0 ]; then
		failures=$((failures + 1))
		echo "FAIL (exit $rc): $what: $(head -n 1 "$d/err")" >>"$d/failures.log"
	fi
	rss=$(grep -E '^[0-9]+$' "$d/rss" | tail -n 1)
	echo "$i ${rss:-0} $(echo "$scen" | cut -d' ' -f1) $kind $mode $fault" >>"$d/rss.log"
	if ! t_wait_until 5 none_left; then
		leftover_procs=$((leftover_procs + 1))
		echo "LEFT PROCESSES: $what: $(ours | tr '\n' ' ')" >>"$d/failures.log"
		ours | xargs -r kill -KILL 2>/dev/null
	fi
	if ! t_wait_until 5 tmp_empty; then
		leftover_files=$((leftover_files + 1))
		echo "LEFT FILES: $what: $(ls -A "$TMPDIR" | tr '\n' ' ')" >>"$d/failures.log"
		rm -rf "${TMPDIR:?}"/*
	fi
	i=$((i + 1))
	[ $((i % 100)) -eq 0 ] && echo "# $i runs, $(($(date +%s) - start)) s"
done
elapsed=$(($(date +%s) - start))

# Memory: per kind of run, the median peak RSS of its first tenth against
# its last tenth (a leak grows with the run's number only within one
# process, so this watches for a different thing: each run's cost).
awk '{ key = $3 " " $4 " " $5; n[key]++; v[key, n[key]] = $2 }
END {
	for (k in n) {
		m = int(n[k] / 10); if (m < 1) m = 1
		a = 0; b = 0
		for (j = 1; j <= m; j++) { a += v[k, j]; b += v[k, n[k] - m + j] }
		printf "#   %-28s runs %4d  first %6d kB  last %6d kB\n", k, n[k], a / m, b / m
	}
}' "$d/rss.log" | sort >"$d/rss.txt"

# One long-lived process: an exploration of many runs, its RSS over time.
"$LOCKSTEP" explore deposit depositors=5 delay_ms=0 --max-runs=40000 </dev/null >/dev/null 2>&1 &
xp=$!
t_bg_pids="$t_bg_pids $xp"
sleep 2
rss_a=$(awk '/^VmRSS/ { print $2 }' "/proc/$xp/status" 2>/dev/null)
sleep 10
rss_b=$(awk '/^VmRSS/ { print $2 }' "/proc/$xp/status" 2>/dev/null)
kill -INT "$xp" 2>/dev/null
wait "$xp" 2>/dev/null

echo "# soak: $runs runs in $elapsed s ($signalled signalled, $stopped with a child stopped, $killed with a child killed)"
echo "# failures: $failures  hangs: $hangs  runs leaving processes: $leftover_procs  runs leaving files: $leftover_files"
echo "# peak RSS per kind of run (first tenth / last tenth, mean):"
cat "$d/rss.txt"
echo "# explore (one process, thousands of runs): RSS ${rss_a:-?} kB at 2 s, ${rss_b:-?} kB at 12 s"
if [ -s "$d/failures.log" ]; then
	head -n 50 "$d/failures.log"
fi
if [ $((failures + hangs + leftover_procs + leftover_files)) -eq 0 ]; then
	t_ok "soak: $runs runs, nothing failed, hung or was left behind"
else
	t_fail "soak: something failed, hung or was left behind"
fi
t_done
