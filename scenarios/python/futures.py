#!/usr/bin/env python3
"""futures.py - concurrent.futures: results as they complete, not as submitted.

The Python program behind lockstep's `futures` lesson (tutorial 001):
futures = [executor.submit(task, i) for i in range(5)], then
for future in as_completed(futures): print(f"Result: {future.result()}").
Each task prints "Task i started" and "Task i completed"; they take
task_ms_min..task_ms_max each (drawn per task from seed=, as in the C lesson),
so they finish out of submission order, and as_completed yields them in the
order they finish.  form=parallel is 001's joblib line,
Parallel(n_jobs=2)(delayed(my_function)(i) for i in range(10)), written as
executor.map (joblib is not in the standard library): the list comes back in
submission order.  tasks=-1 gives 5 tasks (as_completed) or 10 (parallel).

--actors=threads uses a ThreadPoolExecutor (the tutorial's),
--actors=processes a ProcessPoolExecutor.

Usage: python3 futures.py [NAME=VALUE ...] [--actors=threads|processes]
The last line printed is the outcome as one JSON object.

Lines ending in an @op:NAME comment do the shared operations the C lesson
probes (NAME is the C engine's name for the operation).
"""

import os
import sys

# queue.py, the queue lesson's program, lives beside this one and Python puts
# a script's folder first on sys.path: concurrent.futures would import it
# for the standard queue module.  Take the folder off before importing.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [d for d in sys.path if os.path.abspath(d or os.curdir) != _HERE]

import json  # noqa: E402
import multiprocessing  # noqa: E402
from concurrent.futures import (ProcessPoolExecutor, ThreadPoolExecutor,  # noqa: E402
                                as_completed)
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


AS_COMPLETED, PARALLEL = 0, 1
PARAMS = (
    Param("workers", 2, 1, 8, "max_workers (joblib: n_jobs)"),
    Param("tasks", -1, -1, 20, "tasks submitted; -1: 5 (as_completed) or 10 (parallel)"),
    Param("form", AS_COMPLETED, AS_COMPLETED, PARALLEL,
          "submit and as_completed, or joblib's Parallel (a map)",
          ("as_completed", "parallel")),
    Param("task_ms_min", 100, 0, 60000, "shortest time a task takes"),
    Param("task_ms_max", 900, 0, 60000, "longest time a task takes"),
    Param("seed", 2, 0, 1000000, "seeds every task's time"),
)
ACTORS = ("threads", "processes")

PROG = os.path.basename(sys.argv[0] or "futures.py")
WHOLE = re.compile(r"[+-]?[0-9]+")


def usage_error(message):
    """Bad input gets one line on stderr and exit status 2, nothing else."""
    print(f"{PROG}: {message}", file=sys.stderr)
    sys.exit(2)


def print_usage():
    print(f"usage: {PROG} [NAME=VALUE ...] [--actors=threads|processes] [--help]")
    print("concurrent.futures: results as they complete, not as submitted.")
    print("Prints what the actors say, then the outcome as one JSON line.\n")
    print("parameters:")
    for p in PARAMS:
        shown = p.choices[p.default] if p.choices else p.default
        accepted = "|".join(p.choices) if p.choices else f"{p.low}..{p.high}"
        print(f"  {p.name:<16} default {shown!s:<6} accepted {accepted:<18} {p.help}")
    print("\noptions:")
    print("  --actors=threads|processes   a ThreadPoolExecutor or a ProcessPoolExecutor "
          "(default: threads)")


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
    if values["task_ms_min"] > values["task_ms_max"]:
        usage_error(f"task_ms_min={values['task_ms_min']} is above "
                    f"task_ms_max={values['task_ms_max']}")
    return values, actors


# ---- what the tasks share: parameters and bookkeeping ---------------------------

MASK = (1 << 64) - 1
P = {}          # the parameters, set before the executor forks its workers
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
        self.done_seq = ctx.Array("l", max(n, 1), lock=False)
        self.ndone = ctx.Value("l", 0, lock=False)
        self.running = ctx.Value("l", 0, lock=False)
        self.max_running = ctx.Value("l", 0, lock=False)


def began(t):
    with BOOK.lock:
        BOOK.runs[t] += 1
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


# ---- 001's task and joblib's my_function ----------------------------------------

def task(name):  # @op:pool_take
    began(name)
    say(f"Task {name} started")  # @op:say
    time.sleep(task_seconds(name))  # @op:sleep
    say(f"Task {name} completed")  # @op:say
    ended(name)
    return name * name  # @op:pool_finish


def my_function(x):  # @op:pool_take
    began(x)
    time.sleep(task_seconds(x))  # @op:sleep
    ended(x)
    return x ** 2  # @op:pool_finish


def end_on_signal(signum, _frame):
    sys.exit(128 + signum)


def main():
    global BOOK
    p, actors = parse_params(sys.argv[1:])
    P.update(p)
    started = time.monotonic()
    signal.signal(signal.SIGTERM, end_on_signal)
    signal.signal(signal.SIGHUP, end_on_signal)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    form, nw = p["form"], p["workers"]
    n = p["tasks"] if p["tasks"] >= 0 else (10 if form == PARALLEL else 5)
    ctx = multiprocessing.get_context("fork")
    BOOK = Book(ctx, n)

    def executor_of():
        if actors == "threads":
            return ThreadPoolExecutor(max_workers=nw)
        return ProcessPoolExecutor(max_workers=nw, mp_context=ctx)

    yielded = []
    if form == AS_COMPLETED:
        with executor_of() as executor:  # @op:pool_close
            futures = {executor.submit(task, i): i for i in range(n)}  # @op:pool_submit
            for future in as_completed(futures):  # @op:pool_result
                result = future.result()
                yielded.append(futures[future])
                say(f"Result: {result} (task {futures[future]})")  # @op:say
    else:
        # joblib: results = Parallel(n_jobs=2)(delayed(my_function)(i) for i in range(10))
        with executor_of() as executor:  # @op:pool_close
            results = list(executor.map(my_function, range(n)))  # @op:pool_submit
        yielded = list(range(n))
        say(str(results))  # @op:say

    runs = list(BOOK.runs[:n])
    order = sorted(range(n), key=lambda t: BOOK.done_seq[t])
    out_of_order = sum(1 for k, t in enumerate(order) if t != k)
    done = BOOK.ndone.value
    twice = sum(1 for r in runs if r > 1)
    never = sum(1 for r in runs if r == 0)
    ok = (done == n and twice == 0 and never == 0 and BOOK.max_running.value <= nw
          and len(yielded) == n)
    if form == PARALLEL:
        ok = ok and results == [x * x for x in range(n)]
        summary = (f"Parallel gave the {n} squares in submission order, though "
                   f"{out_of_order} came back out of order")
    elif out_of_order:
        summary = (f"as_completed gave the {n} results in the order the tasks finished: "
                   f"task {order[0]} first, {out_of_order} out of submission order")
    else:
        summary = (f"as_completed gave the {n} results in the order the tasks finished, "
                   "which this time was the submission order")
    outcome = {
        "scenario": "futures",
        "params": dict(p, form=PARAMS[2].choices[form]),
        "actors": {"kind": actors, "count": nw + 1},
        "status": "finished",
        "verdict": {"ok": ok, "summary": summary},
        "figures": {
            "tasks": n,
            "done": done,
            "max_running": BOOK.max_running.value,
            "out_of_order": out_of_order,
            "first_done": order[0] if order else -1,
            "run_twice": twice,
            "never_run": never,
            "collected_by_main": len(yielded),
        },
        "completion_order": order,
        "yield_order": yielded,
        "elapsed_ms": round((time.monotonic() - started) * 1000, 3),
    }
    print(json.dumps(outcome, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
