#!/usr/bin/env python3
"""manager.py - a dict held by a Manager's server process, decremented by clients.

The Python program behind lockstep's `manager` lesson (tutorial 002): dic =
Manager().dict({'count': 100}) and 100 processes each doing
d['count'] -= 1, with the lock commented out; the tutorial printed
{'count': 94}.  Every request to the manager's server is atomic, but
d['count'] -= 1 is two requests - a get, then a set - so two processes that
get the same count set the same value and a decrement is lost.  With
locked=1 a multiprocessing.Lock around the pair makes the count end at
exactly start - clients.

program=list is tutorial 004's Manager example instead: d = m.dict(),
l = m.list(range(5)), and each process does d[os.getpid()] = os.getpid(),
l.append(os.getpid()) and print(l).  Each of those is one request, so none
is lost; the pids come in the order the appends reached the server.

Usage: python3 manager.py [NAME=VALUE ...]    e.g. clients=100 locked=1
The last line printed is the outcome as one JSON object.

Lines ending in an @op:NAME comment do the shared operations the C lesson
probes (NAME is the C engine's name for the operation).
"""
import os
import sys

# This folder also holds queue.py (the queue lesson); run from here, it would
# stand in for the standard queue module that multiprocessing's Manager needs.
_here = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != _here]

import json  # noqa: E402
import multiprocessing  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
from typing import NamedTuple, Optional, Tuple

# ---- the command line: NAME=VALUE words, as `lockstep run manager` takes ----

class Param(NamedTuple):
    name: str
    default: int
    low: int
    high: int
    help: str
    choices: Optional[Tuple[str, ...]] = None


PARAMS = (
    Param("clients", 100, 1, 255, "processes, each doing d['count'] -= 1 once"),
    Param("start", 100, -1000000, 1000000, "the dict's count to begin with"),
    Param("locked", 0, 0, 1, "1 holds a lock around each get-and-set"),
    Param("program", 0, 0, 1, "count: 002's d['count'] -= 1; list: 004's d[pid] = pid and "
          "l.append(pid) (10 clients there)", ("count", "list")),
)

PROG = os.path.basename(sys.argv[0] or "manager.py")
WHOLE = re.compile(r"[+-]?[0-9]+")


def usage_error(message):
    """Bad input gets one line on stderr and exit status 2, nothing else."""
    print(f"{PROG}: {message}", file=sys.stderr)
    sys.exit(2)


def print_usage():
    print(f"usage: {PROG} [NAME=VALUE ...] [--help]")
    print("Manager dict: processes decrement d['count'] through a server, without or with a lock.")
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


# ---- the lesson ---------------------------------------------------------------

def work(d, lock, locked):
    """d['count'] -= 1, written out as the two requests it is."""
    if locked:
        lock.acquire()  # @op:lock
    try:
        # A get: a request to the server, and its reply.
        count = d["count"]  # @op:pipe_send
        # A set: another request.  Someone else's may have come in between.
        d["count"] = count - 1  # @op:pipe_send
    finally:
        if locked:
            lock.release()  # @op:unlock


def main():
    p = parse_params(sys.argv[1:])
    started = time.monotonic()
    if p["program"] == 1:
        main_list(p, started)
        return
    lock = multiprocessing.Lock()
    with multiprocessing.Manager() as m:  # @op:pipe_recv
        d = m.dict({"count": p["start"]})
        procs = [multiprocessing.Process(target=work, args=(d, lock, p["locked"] == 1),
                                         name=f"P{i}")
                 for i in range(1, p["clients"] + 1)]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join()  # @op:join
        count = d["count"]  # @op:pipe_send
        print({"count": count}, flush=True)  # @op:say
        failed = sum(1 for proc in procs if proc.exitcode != 0)

    expected = p["start"] - p["clients"]
    lost = count - expected
    if count == expected:
        summary = (f"expected {expected}, got {count}: every decrement counted"
                   + (" (the lock kept each get-and-set pair together)" if p["locked"] else ""))
    else:
        summary = (f"expected {expected}, got {count}: {lost} decrement"
                   f"{'' if lost == 1 else 's'} lost. Each request was atomic, but "
                   "d['count'] -= 1 is two of them")
    outcome = {
        "scenario": "manager",
        "params": p,
        "actors": {"kind": "processes", "count": len(procs) + 1, "failed": failed},
        "status": "finished",
        "verdict": {
            "ok": count == expected,
            "expected": f"{{'count': {expected}}} ({p['start']} - {p['clients']} decrements)",
            "observed": f"{{'count': {count}}}",
            "summary": summary,
        },
        "figures": {"expected": expected, "count": count, "lost": lost},
        "elapsed_ms": round((time.monotonic() - started) * 1000, 3),
    }
    print(json.dumps(outcome), flush=True)


# ---- program=list: 004's dict and list (after main: the shared operations'
# lines keep the order of the C lesson's) ------------------------------------

def work_list(d, lst):
    """004's f(d, l): three requests, each done whole by the server."""
    d[os.getpid()] = os.getpid()  # @op:pipe_send
    lst.append(os.getpid())  # @op:pipe_send
    items = lst[:]  # @op:pipe_send
    print(items, flush=True)  # @op:say


def main_list(p, started):
    with multiprocessing.Manager() as m:
        d = m.dict()
        lst = m.list(range(5))
        procs = [multiprocessing.Process(target=work_list, args=(d, lst), name=f"P{i}")
                 for i in range(1, p["clients"] + 1)]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join()
        shown_d = d.copy()  # @op:pipe_send
        print(shown_d, flush=True)  # @op:say
        shown_l = lst[:]  # @op:pipe_send
        print(shown_l, flush=True)  # @op:say
        items, keys = list(lst), len(d)
        started_order = [proc.pid for proc in procs]
        failed = sum(1 for proc in procs if proc.exitcode != 0)
    appends = len(items) - 5
    arrived = items[5:]
    out_of_order = int(arrived != [pid for pid in started_order if pid in arrived])
    ok = appends == p["clients"]
    outcome = {
        "scenario": "manager",
        "params": p,
        "actors": {"kind": "processes", "count": len(procs) + 1, "failed": failed},
        "status": "finished",
        "verdict": {
            "ok": ok,
            "expected": f"l holds range(5) and all {p['clients']} pids; d a key per process",
            "observed": f"l has {len(items)} items, {appends} appends reached the server",
            "summary": ("every l.append() kept: each is one request" if ok
                        else f"{p['clients'] - appends} of the appends never reached the server"),
        },
        "figures": {"appends": appends, "list_len": len(items), "dict_sets": keys,
                    "out_of_order": out_of_order},
        "elapsed_ms": round((time.monotonic() - started) * 1000, 3),
    }
    print(json.dumps(outcome), flush=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        # Ctrl-C: end quietly, with the status a shell expects.
        sys.exit(130)

# The line map's own spellings (lockstep's src/engine/pymap.h): through a
# manager's proxy a subscript, append() and copy() are each a request to the
# server process and its reply, and Manager() is the first.
# @says pipe_send: [A-Za-z_]\[[^]]+\]|Manager\(|\.append\(|\.copy\(
# @says pipe_recv: [A-Za-z_]\[[^]]+\]|Manager\(
