#!/usr/bin/env python3
"""gil.py - the GIL: CPU-bound threads take turns, processes do not.

The Python program behind lockstep's `gil` lesson (the GIL passages of
tutorials 000, 001 and 004).  The C lesson builds a global interpreter lock
in the open; here it is CPython's own.  Each worker runs `work_ms` of
CPU-bound pure-Python arithmetic in ticks of `tick_us`.  As threads, only
the thread holding the GIL runs bytecode, so the workers take turns:
CPU time divided by wall time - the parallelism - stays near 1.0 however
many cores there are.  As processes (--actors=processes, or gil=off) each
worker is an interpreter of its own with a GIL nobody else wants, so two
workers on two cores reach a parallelism near 2.0.  With work=io a worker
computes one tick and then blocks in I/O (a sleep), during which CPython
releases the GIL, so I/O-bound threads overlap their waits even with it.

interval=time is Python 3's rule, set with sys.setswitchinterval(switch_ms):
a thread that wants the GIL asks the holder to drop it after one interval.
interval=ticks imitates Python 2's rule, which Python 3 no longer has
(sys.setcheckinterval is gone): nobody is ever forced to switch, and every
check_ticks ticks the holder drops the GIL and at once asks for it again.
Python 2's holder usually won it straight back; Python 3's GIL wakes the
waiting thread as it is dropped, so here the waiter usually gets it.

CPython's GIL cannot be watched from Python, so the workers watch
themselves: between small chunks of work each one compares the wall time
that passed with the CPU time it used.  A stretch with no pause is time it
really ran (holding the GIL, for threads); from those stretches come the
hand-offs, turns and the most workers running at once.

Usage: python3 gil.py [NAME=VALUE ...] [--actors=threads|processes]
       e.g. python3 gil.py workers=2 --actors=processes
The last line printed is the outcome as one JSON object.

Lines ending in an @op:NAME comment do the shared operations the C lesson
probes (NAME is the C engine's name for the operation); the GIL's own
lock and condition live inside CPython, not in this file.
"""

import json
import multiprocessing
import os
import queue
import re
import signal
import sys
import threading
import time
from typing import NamedTuple, Optional, Tuple


# ---- the command line: NAME=VALUE words, as `lockstep run gil` takes --------

class Param(NamedTuple):
    name: str
    default: int
    low: int
    high: int
    help: str
    choices: Optional[Tuple[str, ...]] = None


PARAMS = (
    Param("workers", 2, 1, 8, "worker threads (or processes)"),
    Param("work", 0, 0, 1, "cpu: compute; io: mostly wait for I/O", ("cpu", "io")),
    Param("gil", 1, 0, 1, "on: one interpreter lock for all threads", ("off", "on")),
    Param("interval", 0, 0, 1, "time: Python 3 switch interval; ticks: Python 2 check interval",
          ("time", "ticks")),
    Param("switch_ms", 5, 1, 10000, "Python 3 switch interval (sys.getswitchinterval)"),
    Param("check_ticks", 100, 1, 1000000,
          "Python 2 check interval in ticks (sys.setcheckinterval)"),
    Param("tick_us", 50, 1, 100000, "CPU time of one tick of bytecode"),
    Param("work_ms", 600, 1, 600000, "per worker: ms of computing (cpu) or of waiting (io)"),
    Param("io_ms", 10, 1, 60000, "work=io: one blocking I/O call"),
)
ACTORS = ("threads", "processes")

PROG = os.path.basename(sys.argv[0] or "gil.py")
WHOLE = re.compile(r"[+-]?[0-9]+")


def usage_error(message):
    """Bad input gets one line on stderr and exit status 2, nothing else."""
    print(f"{PROG}: {message}", file=sys.stderr)
    sys.exit(2)


def print_usage():
    print(f"usage: {PROG} [NAME=VALUE ...] [--actors=threads|processes] [--help]")
    print("The GIL: CPU-bound threads take turns, processes do not.")
    print("Prints the outcome as one JSON line.\n")
    print("parameters:")
    for p in PARAMS:
        shown = p.choices[p.default] if p.choices else p.default
        accepted = "|".join(p.choices) if p.choices else f"{p.low}..{p.high}"
        print(f"  {p.name:<16} default {shown!s:<6} accepted {accepted:<12} {p.help}")
    print("\noptions:")
    print("  --actors=threads|processes   what the workers are (default: threads)")


def parse_value(p, text):
    if p.choices:
        if text in p.choices:
            return p.choices.index(text)
        # A choice may also be given by its index, as lockstep allows.
        if WHOLE.fullmatch(text) and 0 <= int(text) < len(p.choices):
            return int(text)
        usage_error(f"{p.name}={text} is not one of the choices "
                    f"(accepted: {'|'.join(p.choices)})")
    if not WHOLE.fullmatch(text):
        usage_error(f"{p.name}={text} is not a whole number (accepted: {p.low}..{p.high})")
    value = int(text)
    if not p.low <= value <= p.high:
        usage_error(f"{p.name}={text} is out of range (accepted: {p.low}..{p.high})")
    return value


def parse_params(argv):
    """The parameters, and what the workers are (--actors, as lockstep run)."""
    by_name = {p.name: p for p in PARAMS}
    names = ", ".join(by_name)
    values = {p.name: p.default for p in PARAMS}
    actors = "threads"
    for word in argv:
        if word in ("-h", "--help"):
            print_usage()
            sys.exit(0)
        if word.startswith("--actors="):
            actors = word[len("--actors="):]
            if actors not in ACTORS:
                usage_error(f"{word}: accepted: {', '.join(ACTORS)}")
            continue
        if word.startswith("-"):
            usage_error(f"unknown option '{word}' (see {PROG} --help)")
        name, eq, text = word.partition("=")
        if not eq:
            usage_error(f"'{word}' is not name=value (it takes: {names})")
        if name not in by_name:
            usage_error(f"no parameter '{name}' (it takes: {names})")
        values[name] = parse_value(by_name[name], text)
    return values, actors


# ---- watching a worker run ------------------------------------------------------

# A chunk of work whose wall time exceeds the CPU time it used by more than
# this was paused: the worker waited for the GIL (or the OS ran something
# else).  Far below a switch interval, far above timer noise.
PAUSE_NS = 100_000
CHUNK_US = 20          # look at the clocks about this often


class Meter:
    """The stretches of time one worker really ran, as (start, end, how) in
    time.monotonic_ns(), which all processes of the machine share.  `how` says
    what began the stretch: the worker's start, a pause (the GIL went away, or
    the OS paused it), a release (Python 2's check), or the end of an I/O."""

    def __init__(self):
        self.stretches = []
        self.resume("start")

    def resume(self, how):
        self.begun = self.last_wall = time.monotonic_ns()
        self.last_cpu = time.thread_time_ns()
        self.how = how

    def chunk_done(self):
        wall, cpu = time.monotonic_ns(), time.thread_time_ns()
        if (wall - self.last_wall) - (cpu - self.last_cpu) > PAUSE_NS:
            # Paused inside this chunk: the stretch before it ended where the
            # chunk began, and a new one begins now that it runs again.
            self.stop()
            self.begun, self.how = wall, "pause"
        self.last_wall, self.last_cpu = wall, cpu

    def stop(self):
        # A stretch with no finished chunk in it ran no work worth noting.
        if self.begun is not None and self.last_wall > self.begun:
            self.stretches.append((self.begun, self.last_wall, self.how))
        self.begun = None


# ---- the lesson -------------------------------------------------------------------

class Plan(NamedTuple):
    """What every worker does, worked out once by the main program."""
    io: bool
    py2: bool
    ticks: int              # work=cpu: ticks per worker
    requests: int           # work=io: I/O calls per worker
    io_s: float
    check_ticks: int
    chunks_per_tick: int
    chunk_iters: int
    process: bool


def bytecode(x, iters):
    """Pure-Python arithmetic: while it runs, this thread needs the GIL."""
    for _ in range(iters):
        x = (x * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
    return x


def tick(x, plan, meter):
    """One tick of bytecode, in chunks between which the worker looks at the clocks."""
    for _ in range(plan.chunks_per_tick):
        x = bytecode(x, plan.chunk_iters)
        meter.chunk_done()
    return x


def worker(index, plan, results):
    if plan.process:
        # The parent cleans up on a signal; a worker process just ends.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # A process counts the CPU of its whole interpreter; a thread only its own.
    cpu_clock = time.process_time_ns if plan.process else time.thread_time_ns
    cpu0 = cpu_clock()
    meter = Meter()
    started = meter.begun
    x = index + 0x2545F4914F6CDD1D
    wait_ns = 0
    if not plan.io:
        for t in range(1, plan.ticks + 1):  # @op:gil
            x = tick(x, plan, meter)  # @op:gil
            if plan.py2 and t % plan.check_ticks == 0 and t < plan.ticks:
                # Python 2's check: drop the GIL and at once ask for it again,
                # forcing nobody; whoever gets it first runs on.
                meter.stop()
                time.sleep(0)  # @op:sleep
                meter.resume("release")
    else:
        for r in range(1, plan.requests + 1):
            # Prepare the request.
            x = tick(x, plan, meter)  # @op:gil
            meter.stop()
            w0 = time.monotonic_ns()
            # Blocking I/O: CPython releases the GIL for as long as it waits.
            time.sleep(plan.io_s)  # @op:sleep
            wait_ns += time.monotonic_ns() - w0  # @op:add
            if r == plan.requests:
                break
            meter.resume("io")
    meter.stop()
    results.put({"index": index, "cpu_ns": cpu_clock() - cpu0, "wait_ns": wait_ns,
                 "start": started, "end": time.monotonic_ns(),
                 "stretches": meter.stretches})


def calibrate():
    """Loop iterations per microsecond of CPU on this machine: the fastest of
    three timed runs, the least disturbed."""
    iters = 1 << 10
    while True:
        t0 = time.thread_time_ns()
        bytecode(1, iters)
        ns = time.thread_time_ns() - t0
        if ns >= 20_000_000 or iters >= 1 << 26:
            break
        iters *= 2
    for _ in range(2):
        t0 = time.thread_time_ns()
        bytecode(1, iters)
        ns = min(ns, time.thread_time_ns() - t0)
    return iters * 1000 / max(ns, 1)


def most_at_once(spans):
    """The most (start, end) spans that overlap at one instant."""
    edges = sorted([(s, 1) for s, e in spans] + [(e, -1) for s, e in spans])
    now = best = 0
    for _, step in edges:        # at a tie an end (-1) sorts before a start
        now += step
        best = max(best, now)
    return best


def turns_of(records):
    """Who held the shared GIL when: the workers' running stretches in time
    order, a stretch that resumed after a pause with nobody else running in
    between joined to the one before (the thread never let go).  Returns the
    turns as (start, end, worker) and the regains: joins made while another
    worker still had work, so the holder stopped and came back with nobody
    else having run.  CPython 3 never gives a thread back a GIL it was asked
    to drop, so these are the OS pausing the holder on a busy machine; from
    Python the two cannot be told apart."""
    stretches = sorted((s, e, r["index"], how)
                       for r in records for s, e, how in r["stretches"])
    lives = {r["index"]: (r["start"], r["end"]) for r in records}
    turns, regains = [], 0
    for s, e, who, how in stretches:
        if turns and turns[-1][2] == who and how == "pause":
            turns[-1][1] = e
            regains += any(w != who and born < s < died for w, (born, died) in lives.items())
        else:
            turns.append([s, e, who])
    return turns, regains


def end_on_signal(signum, _frame):
    """SIGTERM or SIGHUP: leave through the `finally` that stops the workers."""
    sys.exit(128 + signum)


def gil_is_enabled():
    """False only on a free-threaded CPython running without its GIL."""
    check = getattr(sys, "_is_gil_enabled", None)
    return True if check is None else bool(check())


def main():
    p, actors = parse_params(sys.argv[1:])
    started = time.monotonic()
    io, py2 = p["work"] == 1, p["interval"] == 1
    notes = []

    # CPython with a GIL cannot run threads without it: gil=off then means
    # what it means in practice, one interpreter (and one GIL) per worker.
    if actors == "threads" and p["gil"] == 0 and gil_is_enabled():
        actors = "processes"
        notes.append("this CPython cannot run threads without its GIL: gil=off runs the "
                     "workers as processes, each with a GIL of its own")
    if actors == "threads" and p["gil"] == 1 and not gil_is_enabled():
        notes.append("this CPython runs without a GIL: gil=on cannot be honoured here")
    if py2 and actors == "threads":
        notes.append("Python 3 has no check interval (sys.setcheckinterval is gone): "
                     f"imitated by dropping the GIL every {p['check_ticks']} ticks, forcing nobody")
    processes = actors == "processes"
    shared_gil = not processes and gil_is_enabled()

    tick_us = p["tick_us"]
    chunks = max(1, -(-tick_us // CHUNK_US))
    plan = Plan(io=io, py2=py2,
                ticks=max(1, p["work_ms"] * 1000 // tick_us),
                requests=max(1, p["work_ms"] // p["io_ms"]),
                io_s=p["io_ms"] / 1000, check_ticks=p["check_ticks"],
                chunks_per_tick=chunks,
                chunk_iters=max(1, round(calibrate() * tick_us / chunks)),
                process=processes)

    old_interval = sys.getswitchinterval()
    # Python 3 forces a switch after the switch interval; Python 2 never
    # forced one, so for interval=ticks make the interval longer than any run.
    sys.setswitchinterval(3600.0 if py2 else p["switch_ms"] / 1000)
    for note in notes:
        print(f"note: {note}", flush=True)
    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            signal.signal(sig, end_on_signal)
    try:
        if processes:
            results = multiprocessing.Queue()
            sys.stdout.flush()              # nothing buffered may be copied into a child
            workers = [multiprocessing.Process(target=worker, args=(i, plan, results),
                                               name=f"T{i}")
                       for i in range(1, p["workers"] + 1)]
        else:
            results = queue.SimpleQueue()
            workers = [threading.Thread(target=worker, args=(i, plan, results), name=f"T{i}",
                                        daemon=True)    # a Ctrl-C need not wait for them
                       for i in range(1, p["workers"] + 1)]
        records = []
        try:
            for w in workers:
                w.start()
            # Collect before joining: a process cannot end before what it put is read.
            while len(records) < len(workers):
                try:
                    records.append(results.get(timeout=0.5))
                except queue.Empty:
                    if not any(w.is_alive() for w in workers):
                        break
            if not processes:
                for w in workers:
                    w.join()
        finally:
            # However we leave, no worker process keeps running.  (Threads
            # cannot be stopped; they are daemons and end with the program.)
            if processes:
                for w in workers:
                    if w.is_alive() and len(records) < len(workers):
                        w.terminate()
                    if w.pid is not None:
                        w.join()
    finally:
        sys.setswitchinterval(old_interval)

    cores = os.cpu_count() or 1
    wall_ms = (max(r["end"] for r in records) - min(r["start"] for r in records)) / 1e6 \
        if records else 0.0
    cpu_ms = sum(r["cpu_ns"] for r in records) / 1e6
    wait_ms = sum(r["wait_ns"] for r in records) / 1e6
    parallelism = cpu_ms / wall_ms if wall_ms > 0 else 0.0
    overlap = (cpu_ms + wait_ms) / wall_ms if wall_ms > 0 else 0.0
    max_running = most_at_once([(s, e) for r in records for s, e, _ in r["stretches"]])
    switches = retakes = regains = acquisitions = max_holders = 0
    mean_hold = 0.0
    if shared_gil:
        turns, regains = turns_of(records)
        acquisitions = len(turns)
        for before, after in zip(turns, turns[1:]):
            if before[2] != after[2]:
                switches += 1
            else:
                retakes += 1
        max_holders = most_at_once([(s, e) for s, e, _ in turns])
        mean_hold = sum(e - s for s, e, _ in turns) / 1e6 / acquisitions if turns else 0.0

    n = p["workers"]
    who = "processes" if processes else "threads"
    crashed = len(workers) - len(records)
    if crashed:
        ok, summary = False, f"{crashed} of {n} workers did not report"
    elif io:
        ok = True
        summary = (f"{n} {who} waited {wait_ms:.0f} ms in all within {wall_ms:.0f} ms (overlap "
                   f"{overlap:.2f}): the GIL is released during blocking I/O, so waiting "
                   "threads do not queue behind it")
    elif shared_gil:
        ok = max_holders <= 1
        summary = (f"the GIL passed {switches} times (turns of {mean_hold:.1f} ms, interval "
                   f"{'in ticks, Python 2' if py2 else 'by time, Python 3'}), "
                   f"{'never 2 holders' if ok else f'{max_holders} holders at once'}: "
                   f"parallelism {parallelism:.2f} of {cores} cores; CPU-bound threads took "
                   "turns, not cores")
    else:
        ok = True
        why = ("each process is its own interpreter with its own GIL" if processes
               else "no GIL: threads ran bytecode together")
        summary = (f"{why}: parallelism {parallelism:.2f} of {cores} cores (up to {max_running} "
                   "in bytecode at once)"
                   + ("; that is why multiprocessing uses many cores" if processes else ""))
    if io:
        expected = (f"I/O-bound {who} overlap their waits"
                    f"{' even with the GIL' if shared_gil else ''}: {p['work_ms']} ms of "
                    f"waiting each, wall near {p['work_ms']} ms")
        observed = (f"wall {wall_ms:.0f} ms for {wait_ms:.0f} ms of waiting and {cpu_ms:.1f} ms "
                    f"of CPU: overlap {overlap:.2f}")
    elif shared_gil:
        expected = "one thread in bytecode at a time: never 2 GIL holders, parallelism near 1.0"
        observed = (f"cpu {cpu_ms:.0f} ms in {wall_ms:.0f} ms wall: parallelism {parallelism:.2f}; "
                    f"{switches} hand-offs, at most {max_holders} holder"
                    f"{'' if max_holders == 1 else 's'}, at most {max_running} running")
    else:
        expected = (f"CPU-bound {who} without a shared GIL run in parallel: parallelism near "
                    f"{min(n, cores)}.0 ({n} workers, {cores} cores)")
        observed = (f"cpu {cpu_ms:.0f} ms in {wall_ms:.0f} ms wall: parallelism {parallelism:.2f}; "
                    f"up to {max_running} running at once")
    params = dict(p)
    for q in PARAMS:
        if q.choices:
            params[q.name] = q.choices[p[q.name]]
    outcome = {
        "scenario": "gil",
        "params": params,
        "actors": {"kind": actors, "count": n, "crashed": crashed},
        "status": "finished",
        "verdict": {"ok": ok, "expected": expected, "observed": observed, "summary": summary},
        "figures": {
            "wall_ms": round(wall_ms, 3), "cpu_ms": round(cpu_ms, 3),
            "parallelism": round(parallelism, 4), "overlap": round(overlap, 4),
            "switches": switches, "max_holders": max_holders, "max_running": max_running,
            "acquisitions": acquisitions, "mean_hold_ms": round(mean_hold, 4),
            "retakes": retakes, "regains": regains, "cores": cores,
        },
        "elapsed_ms": round((time.monotonic() - started) * 1000, 3),
    }
    print(json.dumps(outcome), flush=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        # Ctrl-C: end quietly, with the status a shell expects.
        sys.exit(130)
