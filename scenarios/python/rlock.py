#!/usr/bin/env python3
"""rlock.py - a lock taken again by its own holder: RLock against Lock.

The Python program behind lockstep's `rlock` lesson (tutorial 004's RLock
section).  run3() takes the lock, then calls run1() and run2(), which each
take the same lock again to add 1 to num and num2.  A threading.RLock
remembers its owner and counts: its holder may take it again, and it is
free once released as often as taken, so every thread finishes.  With a
plain threading.Lock (lock=lock) the thread blocks in run1() on the lock it
already holds; nobody else can release it, so it would wait for itself for
ever - the tutorial's program simply hangs.

Here every acquire has a timeout.  When it runs out for a thread that
already holds the lock, that thread is waiting for itself: the program
reports the self-deadlock in its figures instead of hanging.  Threads
queued behind it give up too.  The stuck thread never releases the lock, as
in the real deadlock; the program ends all the same.

Usage: python3 rlock.py [NAME=VALUE ...]    e.g. lock=lock threads=2
The last line printed is the outcome as one JSON object.

Lines ending in an @op:NAME comment do the shared operations the C lesson
probes (NAME is the C engine's name for the operation).
"""

import json
import os
import re
import sys
import threading
import time
from typing import NamedTuple, Optional, Tuple


# ---- the command line: NAME=VALUE words, as `lockstep run rlock` takes ------

class Param(NamedTuple):
    name: str
    default: int
    low: int
    high: int
    help: str
    choices: Optional[Tuple[str, ...]] = None


LOCK_PLAIN, LOCK_REENTRANT = 0, 1

PARAMS = (
    Param("threads", 1, 1, 50, "threads running run3() (the tutorial starts 1)"),
    Param("lock", LOCK_REENTRANT, LOCK_PLAIN, LOCK_REENTRANT,
          "rlock: threading.RLock; lock: threading.Lock", ("lock", "rlock")),
)

PROG = os.path.basename(sys.argv[0] or "rlock.py")
WHOLE = re.compile(r"[+-]?[0-9]+")


def usage_error(message):
    """Bad input gets one line on stderr and exit status 2, nothing else."""
    print(f"{PROG}: {message}", file=sys.stderr)
    sys.exit(2)


def print_usage():
    print(f"usage: {PROG} [NAME=VALUE ...] [--help]")
    print("RLock: a lock taken again by its holder; a plain Lock deadlocks on itself.")
    print("Prints what the actors say, then the outcome as one JSON line.\n")
    print("parameters:")
    for p in PARAMS:
        shown = p.choices[p.default] if p.choices else p.default
        accepted = "|".join(p.choices) if p.choices else f"{p.low}..{p.high}"
        print(f"  {p.name:<16} default {shown!s:<6} accepted {accepted:<12} {p.help}")


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
    by_name = {p.name: p for p in PARAMS}
    names = ", ".join(by_name)
    values = {p.name: p.default for p in PARAMS}
    for word in argv:
        if word in ("-h", "--help"):
            print_usage()
            sys.exit(0)
        if word.startswith("-"):
            usage_error(f"unknown option '{word}' (see {PROG} --help)")
        name, eq, text = word.partition("=")
        if not eq:
            usage_error(f"'{word}' is not name=value (it takes: {names})")
        if name not in by_name:
            usage_error(f"no parameter '{name}' (it takes: {names})")
        values[name] = parse_value(by_name[name], text)
    return values


# ---- noticing a thread that waits for itself ----------------------------------

# How long one acquire may wait before we look at why.  The holders here
# never keep the lock for more than a moment, so a wait this long means
# something is wrong - or, on a badly loaded machine, just slow: then the
# thread simply tries again.
PATIENCE = 1.0


class SelfDeadlock(Exception):
    """This thread waits for a lock it holds itself: nobody will release it."""


class GaveUp(Exception):
    """This thread queued behind a thread that waits for itself."""


# What each thread holds, counted by the thread itself.  A plain Lock does not
# know its owner; the thread does.
held = threading.local()
stuck = []                     # names of threads found waiting for themselves
someone_stuck = threading.Event()


def check_wait(where):
    """An acquire timed out: decide whether waiting longer can ever help."""
    if getattr(held, "depth", 0) > 0:
        raise SelfDeadlock(where)
    if someone_stuck.is_set():
        raise GaveUp(where)
    # Otherwise another thread holds it and is still working: wait on.


# ---- the lesson ---------------------------------------------------------------

num, num2 = 0, 0
lock = None


def say(text):
    """One whole line per call: many threads share stdout."""
    sys.stdout.write(f"{threading.current_thread().name}: {text}\n")
    sys.stdout.flush()


def run1():
    global num
    say("grab the first part data")  # @op:say
    while not lock.acquire(timeout=PATIENCE):  # @op:lock
        check_wait("run1")
    held.depth += 1
    value = num + 1  # @op:load
    num = value  # @op:store
    held.depth -= 1
    lock.release()  # @op:unlock
    return value


def run2():
    global num2
    say("grab the second part data")  # @op:say
    while not lock.acquire(timeout=PATIENCE):  # @op:lock
        check_wait("run2")
    held.depth += 1
    value = num2 + 1  # @op:load
    num2 = value  # @op:store
    held.depth -= 1
    lock.release()  # @op:unlock
    return value


def run3():
    held.depth = 0
    while not lock.acquire(timeout=PATIENCE):  # @op:lock
        check_wait("run3")
    held.depth += 1
    res = run1()
    say("--------between run1 and run2-----")  # @op:say
    res2 = run2()
    held.depth -= 1
    lock.release()  # @op:unlock
    say(f"{res} {res2}")  # @op:say


def thread_body():
    """run3(), with the report of a deadlock instead of a hang.  A thread that
    waits for itself keeps the lock it holds, exactly as in the real thing."""
    try:
        run3()
    except SelfDeadlock:
        stuck.append(threading.current_thread().name)
        someone_stuck.set()
    except GaveUp:
        pass


def main():
    global lock
    p = parse_params(sys.argv[1:])
    started = time.monotonic()
    lock = threading.RLock() if p["lock"] == LOCK_REENTRANT else threading.Lock()

    # Daemon threads only so that a Ctrl-C ends the program at once.
    threads = [threading.Thread(target=thread_body, name=f"T{i}", daemon=True)
               for i in range(1, p["threads"] + 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    n = p["threads"]
    kind = "RLock" if p["lock"] == LOCK_REENTRANT else "Lock"
    deadlocked = bool(stuck)
    if deadlocked:
        who = stuck[0]
        summary = (f"deadlock: {who} holds 'lock' and asks for it again in run1(); a plain Lock "
                   f"does not know its owner, so {who} waits for itself for ever (an RLock "
                   "counts the re-entry instead)")
        say(f"{who} waits for 'lock', which {who} holds itself: deadlock")
        ok = False
    else:
        ok = num == n and num2 == n
        summary = (f"expected {n} and {n}, got {num} and {num2}"
                   + (": each thread re-entered the lock it held and released it as often as "
                      "it took it" if ok else ""))
    outcome = {
        "scenario": "rlock",
        "params": dict(p, lock=PARAMS[-1].choices[p["lock"]]),
        "actors": {"kind": "threads", "count": n},
        "status": "deadlock" if deadlocked else "finished",
        "verdict": {
            "ok": ok,
            "expected": (f"num {n} and num2 {n}: the holder re-enters its RLock"
                         if kind == "RLock" else
                         f"num {n} and num2 {n}, if a Lock could be re-entered (it cannot)"),
            "observed": f"num {num}, num2 {num2}"
                        + (", a thread waits for itself" if deadlocked else ""),
            "summary": summary,
        },
        "figures": {"num": num, "num2": num2, "self_deadlocked": int(deadlocked)},
        "elapsed_ms": round((time.monotonic() - started) * 1000, 3),
    }
    print(json.dumps(outcome), flush=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        # Ctrl-C: end quietly, with the status a shell expects.
        sys.exit(130)
