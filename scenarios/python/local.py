#!/usr/bin/env python3
"""local.py - threading.local: one global name, a value per thread.

The Python program behind lockstep's `local` lesson (tutorial 000's
local_school = threading.local(); process_thread(name) binds
local_school.student = name and calls process_student(), which reads it back
and prints "Hello, Alice (in Thread-1)").  shared=1 uses a plain global
instead: threads share it, so one overtaken between its store and its read
greets another's student (rare in a free run; lockstep's stepping shows it
on demand).  --actors=processes: memory is copied at fork, so even the plain
global is one copy per process and nobody sees another's name.

Usage: python3 local.py [NAME=VALUE ...] [--actors=threads|processes] [--help]
The last line printed is the outcome as one JSON object, with the figures
of `lockstep run local --json`: students, greeted, wrong.

Lines ending in an @op:NAME comment do the shared operations the C lesson
probes (NAME is the C engine's name for the operation).
"""

import json
import multiprocessing
import os
import re
import sys
import threading
import time
from typing import NamedTuple

PROG = os.path.basename(sys.argv[0] or "local.py")
WHOLE = re.compile(r"[+-]?[0-9]+")
NAMES = ("Alice", "Bob", "Carol", "Dave", "Eve", "Frank", "Grace", "Heidi")
class Param(NamedTuple):
    name: str
    default: int
    low: int
    high: int
    help: str


PARAM_LIST = (
    Param("students", 2, 1, len(NAMES), "threads, each storing its own student's name"),
    Param("shared", 0, 0, 1, "1: a plain shared global instead of threading.local"),
)
PARAMS = {p.name: (p.default, p.low, p.high, p.help) for p in PARAM_LIST}
ACTORS = ("threads", "processes")


def usage_error(message):
    print(f"{PROG}: {message}", file=sys.stderr)
    sys.exit(2)


def parse(argv):
    values = {k: v[0] for k, v in PARAMS.items()}
    actors = "threads"
    for word in argv:
        if word in ("-h", "--help"):
            print(f"usage: {PROG} [NAME=VALUE ...] [--actors=threads|processes] [--help]")
            print("threading.local against a plain global.\n\nparameters:")
            for k, (d, lo, hi, h) in PARAMS.items():
                print(f"  {k:<9} default {d:<3} accepted {lo}..{hi}  {h}")
            sys.exit(0)
        if word.startswith("--actors="):
            actors = word[len("--actors="):]
            if actors not in ACTORS:
                usage_error(f"{word}: accepted: {', '.join(ACTORS)}")
            continue
        if word.startswith("-"):
            usage_error(f"unknown option '{word}' (see {PROG} --help)")
        name, eq, text = word.partition("=")
        if not eq or name not in PARAMS:
            usage_error(f"'{word}' is not one of {', '.join(n + '=' for n in PARAMS)}")
        _, lo, hi, _ = PARAMS[name]
        if not WHOLE.fullmatch(text) or not lo <= int(text) <= hi:
            usage_error(f"{name}={text} is out of range (accepted: {lo}..{hi})")
        values[name] = int(text)
    return values, actors


local_school = threading.local()
student = None      # the plain global (shared=1)
SHARED = 0


def process_student(results):
    """Reads the current thread's student back, passed nothing."""
    if SHARED:
        std = student  # @op:load
    else:
        std = local_school.student  # @op:local_load
    me = threading.current_thread().name if results is not None else \
        multiprocessing.current_process().name
    print(f"Hello, {std} (in {me})", flush=True)  # @op:say
    if results is not None:
        results.append((me, std))
    return me, std


def process_thread(name, results):
    global student
    if SHARED:
        student = name  # @op:store
    else:
        local_school.student = name  # @op:local_store
    return process_student(results)


def process_main(name, queue):
    queue.put(process_thread(name, None))


def main():
    global SHARED
    p, actors = parse(sys.argv[1:])
    SHARED = p["shared"]
    n = p["students"]
    started = time.monotonic()
    results = []
    if actors == "threads":
        ts = [threading.Thread(target=process_thread, args=(NAMES[k], results),
                               name=f"Thread-{k + 1}") for k in range(n)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
    else:
        q = multiprocessing.Queue()
        ps = [multiprocessing.Process(target=process_main, args=(NAMES[k], q),
                                      name=f"Thread-{k + 1}") for k in range(n)]
        for pr in ps:
            pr.start()
        results = [q.get() for _ in ps]
        for pr in ps:
            pr.join()
    wrong = sum(1 for me, std in results if std != NAMES[int(me.split("-")[1]) - 1])
    outcome = {
        "scenario": "local",
        "params": p,
        "actors": {"kind": actors, "count": n},
        "status": "finished",
        "verdict": {"ok": wrong == 0, "summary": (
            f"{wrong} greeted another's student" if wrong else
            "every one greeted its own student" + (
                " (a copy of the global per process)" if SHARED and actors == "processes"
                else " this time (a plain global)" if SHARED else ""))},
        "figures": {"students": n, "greeted": len(results), "wrong": wrong},
        "elapsed_ms": round((time.monotonic() - started) * 1000, 3),
    }
    print(json.dumps(outcome), flush=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
