#!/usr/bin/env python3
"""fork.py - os.fork() returns twice; fork against spawn.

The Python program behind lockstep's `fork` lesson (tutorial 000's
os.fork() and tutorial 003's fork against spawn).  fork() copies the
running process: it returns the child's pid in the parent and 0 in the
child, and both go on from the same line.  The child adds child_adds to its
x; the parent's x is unchanged, because the child changed its own copy
(threads of one process would share x).  TOKEN, drawn at random when the
program starts, is the same in the forked child (copied memory) and
different in a spawned one: multiprocessing's "spawn" starts a fresh
interpreter that imports this module again and draws its own.

Usage: python3 fork.py [NAME=VALUE ...]    e.g. spawn=0 exit_code=3
The last line printed is the outcome as one JSON object.

Lines ending in an @op:NAME comment do the operations the C lesson
probes (NAME is the C engine's name for the operation).
"""
import json
import multiprocessing
import os
import random
import re
import sys
import time
from typing import NamedTuple, Optional, Tuple

# Drawn when the program (or a spawned copy of it) starts.
TOKEN = random.randint(1, 999999)

# ---- the command line: NAME=VALUE words, as `lockstep run pipe` takes ----

class Param(NamedTuple):
    name: str
    default: int
    low: int
    high: int
    help: str
    choices: Optional[Tuple[str, ...]] = None


PARAMS = (
    Param("x", 100, -1000000, 1000000, "the private variable's value before fork()"),
    Param("child_adds", 1, -1000, 1000, "what the child adds to its x"),
    Param("token", 0, 0, 999999, "the value drawn when the program starts (0: at random)"),
    Param("spawn", 1, 0, 1, "1 also starts a fresh program that draws its own token"),
    Param("exit_code", 0, 0, 125, "the child's exit status"),
)

PROG = os.path.basename(sys.argv[0] or "fork.py")
WHOLE = re.compile(r"[+-]?[0-9]+")


def usage_error(message):
    """Bad input gets one line on stderr and exit status 2, nothing else."""
    print(f"{PROG}: {message}", file=sys.stderr)
    sys.exit(2)


def print_usage():
    print(f"usage: {PROG} [NAME=VALUE ...] [--help]")
    print("fork(): one process becomes two; fork against spawn.")
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

def spawned_token(queue):
    """Runs in a fresh interpreter: TOKEN is its own, drawn at its import."""
    queue.put((os.getpid(), TOKEN))


def main():
    global TOKEN
    p = parse_params(sys.argv[1:])
    if p["token"]:
        TOKEN = p["token"]
    started = time.monotonic()
    x = p["x"]  # plain memory of this process
    mine = TOKEN  # @op:private_load
    read_r, read_w = os.pipe()
    pid = os.fork()  # @op:fork
    if pid == 0:
        # The child: the same code from here on, with a copy of the memory.
        os.close(read_r)
        print(f"child: pid {os.getpid()}, parent {os.getppid()}", flush=True)  # @op:say
        x = x + p["child_adds"]  # @op:private_store
        print(f"child: x = {x}, token = {TOKEN}", flush=True)  # @op:say
        os.write(read_w, json.dumps({"x": x, "token": TOKEN, "pid": os.getpid(),
                                     "ppid": os.getppid()}).encode())
        os._exit(p["exit_code"])
    os.close(read_w)
    print(f"parent: pid {os.getpid()}, child {pid}", flush=True)  # @op:say
    report = b""
    while True:
        chunk = os.read(read_r, 4096)
        if not chunk:
            break
        report += chunk
    os.close(read_r)
    _, status = os.waitpid(pid, 0)  # @op:waitpid
    code = os.waitstatus_to_exitcode(status)
    child = json.loads(report.decode() or "{}")
    print(f"parent: child exited with {code}, my x = {x}", flush=True)  # @op:say

    spawned = None
    if p["spawn"]:
        ctx = multiprocessing.get_context("spawn")
        queue = ctx.Queue()
        proc = ctx.Process(target=spawned_token, args=(queue,))
        proc.start()  # @op:spawn
        spawned = queue.get(timeout=60)  # @op:proc_read
        proc.join()  # @op:proc_wait
        print(f"spawned: {spawned[0]} {spawned[1]} (pid, token); my token is {mine}",
              flush=True)  # @op:say

    x1 = p["x"] + p["child_adds"]
    copied = child.get("token") == mine
    fresh = spawned is None or spawned[1] != mine
    ok = child.get("x") == x1 and x == p["x"] and copied and fresh
    outcome = {
        "scenario": "fork",
        "params": p,
        "actors": {"kind": "processes", "count": 2},
        "status": "finished",
        "verdict": {
            "ok": ok,
            "expected": (f"the child's x becomes {x1}, the parent's stays {p['x']}; the forked "
                         "child has the parent's token"
                         + (", the spawned program its own" if p["spawn"] else "")),
            "observed": (f"child x {child.get('x')}, parent x {x}; tokens: parent {mine}, child "
                         f"{child.get('token')}"
                         + (f", spawned {spawned[1]}" if spawned else "")),
            "summary": ("fork() returned twice; the child changed its copy of x"
                        if ok else "the child's memory was not a copy"),
        },
        "figures": {"parent_x": x, "child_x": child.get("x"),
                    "same_token_forked": 1 if copied else 0,
                    "same_token_spawned": 1 if spawned and spawned[1] == mine else 0,
                    "exit_code": code, "child_pid": pid, "child_ppid": child.get("ppid"),
                    "spawned": 1 if spawned else 0},
        "elapsed_ms": round((time.monotonic() - started) * 1000, 3),
    }
    print(json.dumps(outcome), flush=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
