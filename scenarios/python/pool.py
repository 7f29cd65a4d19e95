#!/usr/bin/env python3
"""pool.py - a Pool of workers: tasks wait for a free worker, results come back.

The Python program behind lockstep's `pool` lesson.  form=async is tutorial
003's (and 000's) Pool(4) over 5 tasks: each task prints its worker's pid,
sleeps 2 s and prints x * x; the fifth waits for a free worker and runs on
one that ran a task before (its pid comes back).  form=callback is 004's
Pool(5) over 10 tasks with apply_async(func=Foo, callback=Bar): Bar prints
the parent's pid, never a worker's.  form=map is 001's pool.map(f, [1..n]):
the list comes back in submission order however the tasks finish.

--actors=processes uses multiprocessing.Pool; --actors=threads its
ThreadPool (every pid the same).  A task takes task_ms_min..task_ms_max,
drawn per task from seed= as in the C lesson (2 s each by default).

Usage: python3 pool.py [NAME=VALUE ...] [--actors=processes|threads]
       e.g. python3 pool.py workers=2 tasks=3 task_ms_min=10 task_ms_max=50
The last line printed is the outcome as one JSON object.

Lines ending in an @op:NAME comment do the shared operations the C lesson
probes (NAME is the C engine's name for the operation).
"""

import os
import sys

# queue.py, the queue lesson's program, lives beside this one and Python puts
# a script's folder first on sys.path: multiprocessing.pool would import it
# for the standard queue module.  Take the folder off before importing.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [d for d in sys.path if os.path.abspath(d or os.curdir) != _HERE]

import json  # noqa: E402
import multiprocessing  # noqa: E402
import multiprocessing.pool  # noqa: E402
import re  # noqa: E402
import signal  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from typing import NamedTuple, Optional, Tuple  # noqa: E402


class Param(NamedTuple):
    name: str
    default: int
    low: int
    high: int
    help: str
    choices: Optional[Tuple[str, ...]] = None


ASYNC, CALLBACK, MAP = 0, 1, 2
PARAMS = (
    Param("workers", 4, 1, 8, "Pool(processes): workers taking tasks"),
    Param("tasks", 5, 0, 20, "tasks submitted"),
    Param("form", ASYNC, ASYNC, MAP,
          "apply_async (003), apply_async with a callback (004), or map (001)",
          ("async", "callback", "map")),
    Param("task_ms_min", 2000, 0, 60000, "shortest time a task takes"),
    Param("task_ms_max", 2000, 0, 60000, "longest time a task takes (time.sleep(2))"),
    Param("seed", 1, 0, 1000000, "seeds every task's time"),
)
ACTORS = ("processes", "threads")

PROG = os.path.basename(sys.argv[0] or "pool.py")
WHOLE = re.compile(r"[+-]?[0-9]+")


def usage_error(message):
    """Bad input gets one line on stderr and exit status 2, nothing else."""
    print(f"{PROG}: {message}", file=sys.stderr)
    sys.exit(2)


def print_usage():
    print(f"usage: {PROG} [NAME=VALUE ...] [--actors=processes|threads] [--help]")
    print("A Pool of workers: tasks wait for a free worker, results come back.")
    print("Prints what the actors say, then the outcome as one JSON line.\n")
    print("parameters:")
    for p in PARAMS:
        shown = p.choices[p.default] if p.choices else p.default
        accepted = "|".join(p.choices) if p.choices else f"{p.low}..{p.high}"
        print(f"  {p.name:<16} default {shown!s:<6} accepted {accepted:<18} {p.help}")
    print("\noptions:")
    print("  --actors=processes|threads   a process Pool or a ThreadPool (default: processes)")


def parse_value(p, text):
    if p.choices:
        if text in p.choices:
            return p.choices.index(text)
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
    by_name = {p.name: p for p in PARAMS}
    names = ", ".join(by_name)
    values = {p.name: p.default for p in PARAMS}
    actors = "processes"
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
    if values["task_ms_min"] > values["task_ms_max"]:
        usage_error(f"task_ms_min={values['task_ms_min']} is above "
                    f"task_ms_max={values['task_ms_max']}")
    return values, actors


# ---- what the tasks share: parameters and bookkeeping ---------------------------

MASK = (1 << 64) - 1
P = {}          # the parameters, set before the pool forks its workers
BOOK = None     # shared counters (not part of the lesson: the C fold counts these)


def task_seconds(t):
    """splitmix64 of the seed and the task, as the C lesson: the same times."""
    z = (P["seed"] * 0x100000001B3 + t + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    z ^= z >> 31
    return (P["task_ms_min"] + z % (P["task_ms_max"] - P["task_ms_min"] + 1)) / 1000


class Book:
    def __init__(self, ctx, n):
        self.lock = ctx.Lock()
        self.runs = ctx.Array("l", max(n, 1), lock=False)
        self.worker = ctx.Array("q", max(n, 1), lock=False)    # who ran task t
        self.done_seq = ctx.Array("l", max(n, 1), lock=False)  # its place among results
        self.ndone = ctx.Value("l", 0, lock=False)
        self.running = ctx.Value("l", 0, lock=False)
        self.max_running = ctx.Value("l", 0, lock=False)


def me():
    """The worker: its pid, or for a ThreadPool its thread."""
    return os.getpid() if P["processes"] else threading.get_ident()


def began(t):
    with BOOK.lock:
        BOOK.runs[t] += 1
        BOOK.worker[t] = me()
        BOOK.running.value += 1
        BOOK.max_running.value = max(BOOK.max_running.value, BOOK.running.value)


def ended(t):
    with BOOK.lock:
        BOOK.running.value -= 1
        BOOK.done_seq[t] = BOOK.ndone.value
        BOOK.ndone.value += 1


def say(text):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


# ---- the tasks: 003's foo, 004's Foo and Bar, 001's f ---------------------------

def foo(x):  # @op:pool_take
    began(x)
    say('Run task %s (pid:%s)...' % (x, os.getpid()))  # @op:say
    time.sleep(task_seconds(x))  # @op:sleep
    say('Task %s result is: %s' % (x, x * x))  # @op:say
    ended(x)
    return x * x  # @op:pool_finish


def Foo(i):  # @op:pool_take
    began(i)
    time.sleep(task_seconds(i))  # @op:sleep
    say("in process %d" % os.getpid())  # @op:say
    ended(i)
    return i + 100  # @op:pool_finish


CALLBACKS = []   # (pid, thread) of each callback: in the parent, by the result handler


def Bar(arg):  # @op:pool_result
    CALLBACKS.append(os.getpid())
    say('-->exec done: %s %d' % (arg, os.getpid()))  # @op:say


def f(x):  # @op:pool_take
    began(x - 1)
    time.sleep(task_seconds(x - 1))  # @op:sleep
    ended(x - 1)
    return x ** 2  # @op:pool_finish


def counted(_value):
    """003 attaches no callback; this one only counts results in the parent."""
    CALLBACKS.append(os.getpid())


def end_on_signal(signum, _frame):
    sys.exit(128 + signum)


def main():
    global BOOK
    p, actors = parse_params(sys.argv[1:])
    P.update(p, processes=actors == "processes")
    started = time.monotonic()
    signal.signal(signal.SIGTERM, end_on_signal)
    signal.signal(signal.SIGHUP, end_on_signal)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    n, nw, form = p["tasks"], p["workers"], p["form"]
    ctx = multiprocessing.get_context("fork")
    BOOK = Book(ctx, n)
    parent = os.getpid()

    say('Parent process %s.' % os.getpid())  # @op:say
    if P["processes"]:
        pool = ctx.Pool(nw)
    else:
        pool = multiprocessing.pool.ThreadPool(nw)
    rel = None
    try:
        if form != MAP:
            for i in range(n):
                if form == ASYNC:
                    pool.apply_async(foo, args=(i,), callback=counted)  # @op:pool_submit
                else:
                    pool.apply_async(func=Foo, args=(i,), callback=Bar)  # @op:pool_submit
            say('Waiting for all subprocesses done...')  # @op:say
            pool.close()  # @op:pool_close
        else:
            rel = pool.map(f, range(1, n + 1))  # @op:pool_submit
            say(str(rel))  # @op:say
            pool.close()  # @op:pool_close
        pool.join()  # @op:join
        say('All subprocesses done.')  # @op:say
    finally:
        pool.terminate()
        pool.join()

    runs = list(BOOK.runs[:n])
    workers = [BOOK.worker[t] for t in range(n) if runs[t] > 0]
    used = len(set(workers))
    busiest = max((workers.count(w) for w in set(workers)), default=0)
    order = sorted(range(n), key=lambda t: BOOK.done_seq[t])
    out_of_order = sum(1 for k, t in enumerate(order) if t != k)
    done = BOOK.ndone.value
    in_parent = len(rel) if rel is not None else sum(1 for pid in CALLBACKS if pid == parent)
    twice = sum(1 for r in runs if r > 1)
    never = sum(1 for r in runs if r == 0)
    ok = (done == n and twice == 0 and never == 0 and BOOK.max_running.value <= nw
          and in_parent == n)
    if form == MAP:
        ok = ok and rel == [(x + 1) ** 2 for x in range(n)]
        summary = (f"map gave the {n} results in submission order, though {out_of_order} "
                   "came back out of order")
    elif form == CALLBACK:
        summary = (f"{in_parent} callbacks, all run by main (the parent), none by a worker; "
                   "the results came back in the order the tasks finished")
    elif n > nw:
        summary = (f"{n} tasks on {nw} workers: {n - used} tasks waited for a worker to be "
                   "free and ran on one that had run a task before (the same pid again)")
    else:
        summary = f"{n} tasks on {nw} workers: no task had to wait"
    outcome = {
        "scenario": "pool",
        "params": dict(p, form=PARAMS[2].choices[form]),
        "actors": {"kind": actors, "count": nw + 1},
        "status": "finished",
        "verdict": {"ok": ok, "summary": summary},
        "figures": {
            "tasks": n,
            "done": done,
            "max_running": BOOK.max_running.value,
            "workers_used": used,
            "busiest_worker": busiest,
            "reused": n - used,
            "run_twice": twice,
            "never_run": never,
            "out_of_order": out_of_order,
            "collected_by_main": in_parent,
        },
        "completion_order": order,
        "elapsed_ms": round((time.monotonic() - started) * 1000, 3),
    }
    print(json.dumps(outcome, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
