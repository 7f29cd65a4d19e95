#!/usr/bin/env python3
"""timer.py - threading.Timer: a function runs once after a delay, unless
cancelled first.

The Python program behind lockstep's `timer` lesson (tutorial 004's
t = Timer(30.0, hello); t.start()).  CPython's Timer is a thread with an
Event called finished: run() waits on it for the interval, calls the
function only if it is still clear, then sets it; cancel() sets it.  Main
starts the timer and, unless cancel=never, sleeps cancel_ms and cancels.

Usage: python3 timer.py [NAME=VALUE ...] [--help]
       e.g. python3 timer.py delay_ms=300 cancel=before
The last line printed is the outcome as one JSON object, with the figures
of `lockstep run timer --json`: fired, cancelled, when (0 no cancel, 1
cancel came before the timer looked, 2 after it fired) and fired_ms.

Lines ending in an @op:NAME comment do the shared operations the C lesson
probes (NAME is the C engine's name for the operation).
"""

import json
import os
import re
import sys
import threading
import time
from typing import NamedTuple

PROG = os.path.basename(sys.argv[0] or "timer.py")
WHOLE = re.compile(r"[+-]?[0-9]+")
CHOICES = ("never", "before", "after")
# name: (default, low, high, help)
class Param(NamedTuple):
    name: str
    default: int
    low: int
    high: int
    help: str


PARAM_LIST = (
    Param("delay_ms", 30000, 0, 600000, "the timer's interval"),
    Param("cancel", 0, 0, 2, "never|before|after: when main calls cancel()"),
    Param("cancel_ms", -1, -1, 600000, "main's sleep before cancel(); -1: half the interval (before) or the interval and a second (after)"),
)
PARAMS = {p.name: (p.default, p.low, p.high, p.help) for p in PARAM_LIST}


def usage_error(message):
    print(f"{PROG}: {message}", file=sys.stderr)
    sys.exit(2)


def parse(argv):
    values = {k: v[0] for k, v in PARAMS.items()}
    for word in argv:
        if word in ("-h", "--help"):
            print(f"usage: {PROG} [NAME=VALUE ...] [--help]")
            print("threading.Timer: run once after a delay, unless cancelled.\n\nparameters:")
            for k, (d, lo, hi, h) in PARAMS.items():
                shown = CHOICES[d] if k == "cancel" else d
                print(f"  {k:<10} default {shown!s:<6} accepted "
                      f"{'|'.join(CHOICES) if k == 'cancel' else f'{lo}..{hi}'}  {h}")
            sys.exit(0)
        if word.startswith("-"):
            usage_error(f"unknown option '{word}' (see {PROG} --help)")
        name, eq, text = word.partition("=")
        if not eq or name not in PARAMS:
            usage_error(f"'{word}' is not one of {', '.join(n + '=' for n in PARAMS)}")
        _, lo, hi, _ = PARAMS[name]
        if name == "cancel" and text in CHOICES:
            values[name] = CHOICES.index(text)
            continue
        if not WHOLE.fullmatch(text) or not lo <= int(text) <= hi:
            usage_error(f"{name}={text} is out of range (accepted: "
                        f"{'|'.join(CHOICES) if name == 'cancel' else f'{lo}..{hi}'})")
        values[name] = int(text)
    return values


class Timer(threading.Thread):
    """CPython's threading.Timer, as Lib/threading.py writes it, plus a
    record of what its check saw (for the figures)."""

    def __init__(self, interval, function):
        super().__init__(name="timer")
        self.interval = interval
        self.function = function
        self.finished = threading.Event()
        self.looked = None          # time the check found the flag clear

    def cancel(self):
        self.finished.set()  # @op:event_set

    def run(self):
        self.finished.wait(self.interval)  # @op:event_wait
        if not self.finished.is_set():  # @op:event_test
            self.looked = time.monotonic()
            self.function()
        self.finished.set()  # @op:event_set


def main():
    p = parse(sys.argv[1:])
    cancel = p["cancel"]
    cancel_ms = p["cancel_ms"]
    if cancel_ms < 0:
        cancel_ms = p["delay_ms"] + 1000 if cancel == 2 else p["delay_ms"] // 2
    fired_at = []

    def hello():
        fired_at.append(time.monotonic())
        print("hello, world", flush=True)  # @op:say

    started = time.monotonic()
    t = Timer(p["delay_ms"] / 1000, hello)
    t.start()
    cancelled_at = None
    if cancel:
        time.sleep(cancel_ms / 1000)  # @op:sleep
        cancelled_at = time.monotonic()
        t.cancel()
    t.join()   # the program waits for the timer thread, which is no daemon

    fired = 1 if fired_at else 0
    when = 0 if cancelled_at is None else (2 if t.looked is not None and
                                           t.looked <= cancelled_at else 1)
    ok = when == cancel and fired == (cancel != 1)
    figures = {"fired": fired, "cancelled": 0 if cancelled_at is None else 1, "when": when}
    if fired:
        figures["fired_ms"] = round((fired_at[0] - started) * 1000, 3)
    outcome = {
        "scenario": "timer",
        "params": dict(p, cancel=CHOICES[cancel]),
        "actors": {"kind": "threads", "count": 2},
        "status": "finished",
        "verdict": {"ok": ok, "summary": (
            "cancel before it fires: the function never runs" if when == 1 and not fired else
            "cancel after: nothing happens (hello() had already run)" if when == 2 else
            "no cancel: hello() ran once after the interval" if when == 0 else
            "unexpected")},
        "figures": figures,
        "elapsed_ms": round((time.monotonic() - started) * 1000, 3),
    }
    print(json.dumps(outcome), flush=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
