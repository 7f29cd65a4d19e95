#!/usr/bin/env python3
"""pipe.py - two processes talking both ways through one multiprocessing.Pipe.

The Python program behind lockstep's `pipe` lesson (tutorial 004's Pipes
example): the child sends the parent [42, None, 'hello from child1'] and a
second message, then receives one back; the parent receives twice and
sends "hhh" back.  recv() on an empty pipe blocks until the other end sends;
messages arrive whole and in order.  With order=send_first the parent sends
before it receives too: fine for small messages, which the kernel's buffer
holds, but with size=1000000 both ends block in send() and nobody ever
receives - a deadlock.  This program does not hang on it: the parent's
conversation runs in a thread it waits for at most timeout_ms, and a
conversation that has not ended by then is reported as the deadlock (the
child is then stopped, which ends the parent's send with a broken pipe).

Usage: python3 pipe.py [NAME=VALUE ...]    e.g. order=send_first size=1000000
The last line printed is the outcome as one JSON object.

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
from typing import NamedTuple, Optional, Tuple

# ---- the command line: NAME=VALUE words, as `lockstep run pipe` takes ----

class Param(NamedTuple):
    name: str
    default: int
    low: int
    high: int
    help: str
    choices: Optional[Tuple[str, ...]] = None


PARAMS = (
    Param("child_msgs", 2, 0, 50, "messages the child sends the parent"),
    Param("parent_msgs", 1, 0, 50, "messages the parent sends the child"),
    Param("size", 32, 0, 4194304, "payload bytes of every message (1000000: bigger than the "
          "kernel's buffer)"),
    Param("order", 0, 0, 1, "recv_first: the parent receives, then sends (the tutorial); "
          "send_first: it sends first too", ("recv_first", "send_first")),
    Param("timeout_ms", 3000, 100, 600000, "no end by then is reported as a deadlock"),
)

PROG = os.path.basename(sys.argv[0] or "pipe.py")
WHOLE = re.compile(r"[+-]?[0-9]+")


def usage_error(message):
    """Bad input gets one line on stderr and exit status 2, nothing else."""
    print(f"{PROG}: {message}", file=sys.stderr)
    sys.exit(2)


def print_usage():
    print(f"usage: {PROG} [NAME=VALUE ...] [--help]")
    print("Pipe: a parent and a child process send messages both ways through one pipe.")
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

def child(conn, p):
    """f(conn): send the parent its messages, then receive its reply."""
    payload = b"x" * p["size"]
    for i in range(p["child_msgs"]):
        conn.send([42 + i, None, f"hello from child{i + 1}", payload])  # @op:pipe_send
    for _ in range(p["parent_msgs"]):
        msg = conn.recv()  # @op:pipe_recv
        print("from parent:", msg[0], flush=True)  # @op:say
    conn.close()


def parent(conn, p, got):
    """The parent's side: receive the child's messages, send its own back."""
    payload = b"h" * p["size"]
    try:
        if p["order"] == 1:
            for i in range(p["parent_msgs"]):
                conn.send([100 + i, "hhh", payload])  # @op:pipe_send
                got["sent"] += 1
        for _ in range(p["child_msgs"]):
            msg = conn.recv()  # @op:pipe_recv
            got["received"].append(msg[0])
            print(msg[0], flush=True)  # @op:say
        if p["order"] == 0:
            for i in range(p["parent_msgs"]):
                conn.send([100 + i, "hhh", payload])  # @op:pipe_send
                got["sent"] += 1
    except (BrokenPipeError, EOFError, OSError):
        # The child was stopped after a deadlock: the pipe is gone.
        got["broken"] = True


def main():
    p = parse_params(sys.argv[1:])
    started = time.monotonic()
    parent_conn, child_conn = multiprocessing.Pipe()
    proc = multiprocessing.Process(target=child, args=(child_conn, p), name="child")
    proc.start()
    # The child has its own copy of its end: closing ours lets a stopped
    # child break the pipe under a parent blocked in send().
    child_conn.close()
    got = {"received": [], "sent": 0, "broken": False}
    talk = threading.Thread(target=parent, args=(parent_conn, p, got), daemon=True)
    talk.start()
    talk.join(p["timeout_ms"] / 1000)
    deadlock = talk.is_alive()
    if deadlock:
        # Both ends are stuck in send(): stop the child, which breaks the pipe
        # under the parent's send as well.
        proc.terminate()
        proc.join()  # @op:join
        parent_conn.close()
        talk.join(5)
    else:
        proc.join()  # @op:join

    to_parent = len(got["received"])
    in_order = got["received"] == [42 + i for i in range(to_parent)]
    # The child received what the parent sent whenever the child finished cleanly.
    to_child = got["sent"] if not deadlock and proc.exitcode == 0 else 0
    expected = (f"{p['child_msgs']} message{'s' if p['child_msgs'] != 1 else ''} to the "
                f"parent, {p['parent_msgs']} to the child, whole and in order")
    observed = f"{to_parent} to the parent, {to_child} to the child"
    if deadlock:
        ok = False
        observed += ", then a deadlock"
        summary = (f"deadlock: nothing ended within {p['timeout_ms']} ms; both ends were "
                   f"blocked in send() with {p['size']}-byte messages and neither received")
    else:
        ok = to_parent == p["child_msgs"] and to_child == p["parent_msgs"] and in_order
        summary = ("every message arrived whole and in order, both ways through one pipe"
                   if ok else f"{observed}; in order: {in_order}")
    outcome = {
        "scenario": "pipe",
        "params": {**p, "order": ("recv_first", "send_first")[p["order"]]},
        "actors": {"kind": "processes", "count": 2},
        "status": "deadlock" if deadlock else "finished",
        "verdict": {"ok": ok, "expected": expected, "observed": observed, "summary": summary},
        "figures": {"to_parent": to_parent, "to_child": to_child,
                    "deadlock": 1 if deadlock else 0, "in_order": 1 if in_order else 0},
        "elapsed_ms": round((time.monotonic() - started) * 1000, 3),
    }
    print(json.dumps(outcome), flush=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        # Ctrl-C: end quietly, with the status a shell expects.
        sys.exit(130)
