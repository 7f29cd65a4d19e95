#!/usr/bin/env python3
"""semaphore.py - five at a time: threading.BoundedSemaphore(5) over 22 threads.

The Python program behind lockstep's `semaphore` lesson (tutorial 004's
Semaphore section).  A lock lets one thread in; a semaphore lets a fixed
number in, like a toilet with a few stalls.  Each of 22 threads acquires the
semaphore, holds it for a second, prints and releases, so they pass in waves
of 5: about 5 seconds in all, never more than 5 inside at once.

overrelease=1 adds the bug a *bounded* semaphore exists for: the last thread
to finish calls release() once more.  A BoundedSemaphore refuses (ValueError)
and keeps its count; a plain Semaphore (bounded=0) silently grows past the
count it started with, so from then on one thread too many could get in.

Usage: python3 semaphore.py [NAME=VALUE ...]    e.g. threads=22 overrelease=1
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


# ---- the command line: NAME=VALUE words, as `lockstep run semaphore` takes --

class Param(NamedTuple):
    name: str
    default: int
    low: int
    high: int
    help: str
    choices: Optional[Tuple[str, ...]] = None


PARAMS = (
    Param("threads", 22, 1, 1000, "threads, each holding the semaphore once"),
    Param("slots", 5, 1, 1000, "how many may hold it at once (its initial count)"),
    Param("hold_ms", 1000, 0, 60000, "how long each thread holds it"),
    Param("overrelease", 0, 0, 1, "1: the last thread to finish releases once too often"),
    Param("bounded", 1, 0, 1, "1: BoundedSemaphore, 0: a plain Semaphore"),
)

PROG = os.path.basename(sys.argv[0] or "semaphore.py")
WHOLE = re.compile(r"[+-]?[0-9]+")


def usage_error(message):
    """Bad input gets one line on stderr and exit status 2, nothing else."""
    print(f"{PROG}: {message}", file=sys.stderr)
    sys.exit(2)


def print_usage():
    print(f"usage: {PROG} [NAME=VALUE ...] [--help]")
    print("Bounded semaphore: many threads, a few at a time.")
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


# ---- watching from outside, for the figures -----------------------------------

class Watch:
    """Counts who is inside and when, for the figures only.  Its own lock is
    taken after the semaphore is acquired and before it is released, so it
    never changes who gets in."""

    def __init__(self):
        self._lock = threading.Lock()
        self.holders = 0
        self.max_holders = 0
        self.first_acquire = None
        self.last_release = None

    def entered(self):
        with self._lock:
            self.holders += 1
            self.max_holders = max(self.max_holders, self.holders)
            if self.first_acquire is None:
                self.first_acquire = time.monotonic()

    def leaving(self):
        with self._lock:
            self.holders -= 1
            self.last_release = time.monotonic()


def current_count(sem):
    """The semaphore's count, read through its public calls only: take every
    free slot without waiting, then give them all back."""
    taken = 0
    while sem.acquire(blocking=False):
        taken += 1
    for _ in range(taken):
        sem.release()
    return taken


# ---- the lesson ---------------------------------------------------------------

class Toilet:
    """Everything the threads share: the semaphore, and (for overrelease=1)
    a count of finished threads that tells one it is the last out."""

    def __init__(self, p):
        kind = threading.BoundedSemaphore if p["bounded"] else threading.Semaphore
        self.semaphore = kind(p["slots"])
        self.threads = p["threads"]
        self.hold = p["hold_ms"] / 1000
        self.overrelease = p["overrelease"] == 1
        self.finished = 0
        self.finished_lock = threading.Lock()   # makes the += below one atomic add
        self.refused = 0
        self.watch = Watch()


def say(text):
    """One whole line per call: many threads share stdout."""
    sys.stdout.write(f"{threading.current_thread().name}: {text}\n")
    sys.stdout.flush()


def run(toilet, n):
    sem = toilet.semaphore
    sem.acquire()  # @op:sem_acquire
    toilet.watch.entered()
    time.sleep(toilet.hold)  # @op:sleep
    say(f"run the thread: {n}")  # @op:say
    toilet.watch.leaving()
    sem.release()  # @op:sem_release
    if not toilet.overrelease:
        return
    with toilet.finished_lock:
        toilet.finished += 1  # @op:add
        last = toilet.finished == toilet.threads
    if last:
        # The last one out: every slot is already free, so one more release
        # is a bug.  The bounded semaphore notices; a plain one does not.
        try:
            sem.release()  # @op:sem_release
        except ValueError:
            toilet.refused += 1
            say("ValueError: Semaphore released too many times")  # @op:say
        else:
            say("released it a second time: no error, one slot too many now")  # @op:say


def main():
    p = parse_params(sys.argv[1:])
    started = time.monotonic()
    toilet = Toilet(p)

    # Daemon threads only so that a Ctrl-C ends the program at once; they are
    # all joined below.
    threads = [threading.Thread(target=run, args=(toilet, i), name=f"T{i + 1}", daemon=True)
               for i in range(p["threads"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    slots, n = p["slots"], p["threads"]
    watch = toilet.watch
    count = current_count(toilet.semaphore)
    # The count starts at `slots`, acquires only lower it and a correct
    # release only restores it; only the extra release at the very end can
    # lift it, so the highest it ever was is the larger of the two.
    max_count = max(slots, count)
    completed = sum(1 for t in threads if not t.is_alive())
    waves = -(-n // slots)
    kind = "BoundedSemaphore" if p["bounded"] else "Semaphore"
    periods = None
    if p["hold_ms"] > 0 and watch.last_release and watch.first_acquire:
        periods = (watch.last_release - watch.first_acquire) / toilet.hold
    extra = f", in {periods:.1f} holding periods (at least {waves})" if periods is not None else ""

    if watch.max_holders > slots:
        ok, summary = False, (f"{watch.max_holders} threads held the {kind} at once, more than "
                              f"its {slots} slots")
    elif max_count > slots:
        ok, summary = False, (f"the plain Semaphore took the extra release without a word: its "
                              f"count grew to {max_count}, past the {slots} it started with, so "
                              f"{max_count} threads could now hold it at once; a BoundedSemaphore "
                              "raises ValueError instead")
    elif completed != n:
        ok, summary = False, f"only {completed} of {n} threads finished"
    elif p["overrelease"] and toilet.refused:
        ok, summary = True, (f"never more than {watch.max_holders} holders at once{extra}; the "
                             "extra release was refused (ValueError: Semaphore released too many "
                             f"times), so the count stayed at {count}")
    else:
        reach = min(n, slots)
        used = ", all used" if watch.max_holders == reach else ""
        ok, summary = True, (f"never more than {watch.max_holders} of {n} threads held it at "
                             f"once ({slots} allowed{used}){extra}")
    figures = {"max_holders": watch.max_holders, "slots": slots, "completed": completed,
               "count": count, "max_count": max_count, "refused": toilet.refused}
    if periods is not None:
        figures["periods"] = round(periods, 3)
    outcome = {
        "scenario": "semaphore",
        "params": p,
        "actors": {"kind": "threads", "count": n},
        "status": "finished",
        "verdict": {
            "ok": ok,
            "expected": f"at most {slots} holders at once, {n} threads finish in about "
                        f"{waves} waves"
                        + (", the extra release refused, count never above the bound"
                           if p["overrelease"] else ""),
            "observed": f"at most {watch.max_holders} holders at once, {completed} finished, count "
                        f"ended at {count} (highest {max_count}), {toilet.refused} release"
                        f"{'' if toilet.refused == 1 else 's'} refused",
            "summary": summary,
        },
        "figures": figures,
        "elapsed_ms": round((time.monotonic() - started) * 1000, 3),
    }
    print(json.dumps(outcome), flush=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        # Ctrl-C: end quietly, with the status a shell expects.
        sys.exit(130)
