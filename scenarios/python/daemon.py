#!/usr/bin/env python3
"""daemon.py - join and daemon threads (and processes): who waits at the end.

The Python program behind lockstep's `daemon` lesson: tutorial 004's "join &
Daemon" (run(n) prints "task n", sleeps 2 s, prints "task done n"; main
starts 20 and prints "all threads has finished...") and tutorial 002's daemon
process (p.daemon = True ends with the main process).  join=1: main joins
each first; join=0: main prints at once and the program still waits for the
workers; daemon=1: nothing waits, and the daemons still sleeping when main
ends are cut off.  child=1: each worker starts a child process after its
first line; multiprocessing refuses that to a daemon process (002:
"AssertionError: daemonic processes are not allowed to have children").

Usage: python3 daemon.py [NAME=VALUE ...] [--actors=threads|processes] [--help]
The last line printed is the outcome as one JSON object, with the figures
of `lockstep run daemon --json`: threads, done_before, done_after, cut,
main_said, children, refused.  With daemons it is printed as main ends, just before the
interpreter cuts them off; cut counts those still alive then.

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

PROG = os.path.basename(sys.argv[0] or "daemon.py")
WHOLE = re.compile(r"[+-]?[0-9]+")
class Param(NamedTuple):
    name: str
    default: int
    low: int
    high: int
    help: str


PARAM_LIST = (
    Param("threads", 20, 1, 200, "workers main starts"),
    Param("sleep_ms", 2000, 0, 600000, "each worker's sleep between its two lines"),
    Param("join", 1, 0, 1, "1: main joins every worker before its last line"),
    Param("daemon", 0, 0, 1, "1: the workers are daemons"),
    Param("child", 0, 0, 1, "1: each worker starts a child process after its first line"),
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
            print("join and daemon workers: who waits for whom at the end.\n\nparameters:")
            for k, (d, lo, hi, h) in PARAMS.items():
                print(f"  {k:<9} default {d:<5} accepted {lo}..{hi}  {h}")
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


def run(n, sleep_s, done, child, counts):
    print("task", n, flush=True)  # @op:say
    if child and not start_child(n, counts):
        return   # the exception ends the worker
    time.sleep(sleep_s)  # @op:sleep
    print("task done", n, flush=True)  # @op:say
    with done.get_lock():
        done.value += 1


def main():
    p, actors = parse(sys.argv[1:])
    n = p["threads"]
    started = time.monotonic()
    done = multiprocessing.Value("i", 0)
    counts = multiprocessing.Array("i", 2)   # children started, refused
    Kind = threading.Thread if actors == "threads" else multiprocessing.Process
    workers = []
    for i in range(n):
        w = Kind(target=run, args=(f"t-{i + 1}", p["sleep_ms"] / 1000, done, p["child"], counts))
        w.daemon = bool(p["daemon"])
        w.start()
        workers.append(w)
    if p["join"]:
        for w in workers:
            w.join()  # @op:join
    print("-----all threads has finished...", flush=True)  # @op:say
    done_before = done.value
    cut = 0
    if p["daemon"]:
        # Main ends here: the daemons still alive are cut off with it.
        cut = sum(1 for w in workers if w.is_alive())
    else:
        for w in workers:   # what the interpreter does at exit for non-daemons
            w.join()
    refusal = p["child"] and p["daemon"] and actors == "processes"
    ok = (counts[1] > 0 and counts[0] == 0 if refusal else
          done_before == n if p["join"] else
          done.value == n if not p["daemon"] else cut > 0)
    outcome = {
        "scenario": "daemon",
        "params": p,
        "actors": {"kind": actors, "count": n + 1},
        "status": "finished",
        "verdict": {"ok": ok, "summary": (
            f"{counts[1]} daemon processes refused a child" if refusal else
            "join() waited for every worker" if p["join"] else
            f"{done.value - done_before} finished after main's line: the program waited"
            if not p["daemon"] else f"{cut} daemons cut off when main ended")},
        "figures": {"threads": n, "done_before": done_before,
                    "done_after": done.value - done_before, "cut": cut, "main_said": 1,
                    "children": counts[0], "refused": counts[1]},
        "elapsed_ms": round((time.monotonic() - started) * 1000, 3),
    }
    print(json.dumps(outcome), flush=True)


# After main: the Python lines of the shared operations keep the C body's order.
def grandchild():
    print(os.getpid(), flush=True)


def start_child(n, counts):
    """Process(...).start() from inside a worker; False when refused."""
    try:
        c = multiprocessing.Process(target=grandchild)
        c.start()  # @op:spawn
    except AssertionError as err:   # a daemon process may not have children
        print(f"{n}: AssertionError: {err}", flush=True)  # @op:say
        with counts.get_lock():
            counts[1] += 1
        return False
    c.join()  # @op:proc_wait
    print(f"{n}'s child ran: pid {c.pid}", flush=True)  # @op:say
    with counts.get_lock():
        counts[0] += 1
    return True


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
