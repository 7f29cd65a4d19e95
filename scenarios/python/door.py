#!/usr/bin/env python3
"""door.py - a door opened by card swipes, coordinated by a threading.Event.

The Python program behind lockstep's `door` lesson (tutorial 004's second
Event program, door() and staff(n) around one event).  The door is an
Event: set means open.  The door looks every tick: while open it counts,
and once it has been open more than `close_after` ticks it clears the event
(closes); while closed it waits on the event, so the first swipe wakes it.
Staff arrive 0, 1 or 2 gaps apart; one who finds the door closed swipes the
card (sets the event) and looks again a tick later; one who finds it open
passes.  Anyone may set the event, and a swipe on an open door changes
nothing; only the door clears it.

The tutorial's door waits for ever.  Here its wait has a timeout of one tick
so that, once every member of staff is through, it notices and stops.

Usage: python3 door.py [NAME=VALUE ...]    e.g. staff=5 tick_ms=100
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


# ---- the command line: NAME=VALUE words, as `lockstep run door` takes -------

class Param(NamedTuple):
    name: str
    default: int
    low: int
    high: int
    help: str
    choices: Optional[Tuple[str, ...]] = None


PARAMS = (
    Param("staff", 5, 1, 64, "staff threads coming to the door"),
    Param("tick_ms", 500, 1, 60000, "how often the door and the staff look"),
    Param("close_after", 3, 0, 1000, "the door closes once open more than this many ticks"),
    Param("gap_ms", 1000, 0, 60000, "arrivals are 0, 1 or 2 times this apart"),
    Param("arrival_seed", 1, 0, 1000000, "picks the gaps between arrivals"),
)

PROG = os.path.basename(sys.argv[0] or "door.py")
WHOLE = re.compile(r"[+-]?[0-9]+")


def usage_error(message):
    """Bad input gets one line on stderr and exit status 2, nothing else."""
    print(f"{PROG}: {message}", file=sys.stderr)
    sys.exit(2)


def print_usage():
    print(f"usage: {PROG} [NAME=VALUE ...] [--help]")
    print("A door opened by card swipes: an Event set by many threads, cleared by one.")
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


# ---- a record of every use of the door, for the figures ----------------------

class Record:
    """Notes (actor, op, object, value) in the order things really happened:
    each note is taken under one lock together with the operation it notes."""

    def __init__(self):
        self.lock = threading.Lock()
        self.notes = []

    def note(self, op, obj, value=None):
        self.notes.append((threading.current_thread().name, op, obj, value))


class RecordedEvent(threading.Event):
    """A threading.Event that notes its sets, clears, looks and waits.  It
    behaves exactly as an Event; the notes only feed the figures."""

    def __init__(self, name, record):
        super().__init__()
        self.name = name
        self._record = record

    def set(self):
        with self._record.lock:
            super().set()
            self._record.note("set", self.name)

    def clear(self):
        with self._record.lock:
            super().clear()
            self._record.note("clear", self.name)

    def is_set(self):
        with self._record.lock:
            seen = super().is_set()
            self._record.note("test", self.name, seen)
        return seen

    def wait(self, timeout=None):
        with self._record.lock:
            self._record.note("wait", self.name, super().is_set())
        # Not under the record's lock: a waiter must not keep set() out.
        woken = super().wait(timeout)
        with self._record.lock:
            self._record.note("woke", self.name, woken)
        return woken


class RecordedCounter:
    """A shared count whose additions are atomic and noted."""

    def __init__(self, name, record):
        self.name = name
        self.value = 0
        self._record = record

    def add(self, n):
        with self._record.lock:
            self.value += n
            self._record.note("add", self.name, self.value)


# ---- the lesson ---------------------------------------------------------------

class Entrance:
    """What the door and the staff share."""

    def __init__(self, record, staff):
        self.door = RecordedEvent("door", record)     # set = open, clear = closed
        self.passed = RecordedCounter("passed", record)
        self.swipes = RecordedCounter("swipes", record)
        self.staff = staff


def say(text):
    """One whole line per call: many threads share stdout."""
    sys.stdout.write(f"{threading.current_thread().name}: {text}\n")
    sys.stdout.flush()


def arrival_ms(seed, gap_ms, index):
    """When staff member `index` arrives: the tutorial's random.randrange(3)
    gaps, drawn from the same repeatable xorshift sequence the C lesson uses,
    so both see the same arrivals for the same seed."""
    mask = (1 << 64) - 1
    x = (seed * 0x9E3779B97F4A7C15 + 1) & mask
    at = 0
    for _ in range(index + 1):
        x ^= (x << 13) & mask
        x ^= x >> 7
        x ^= (x << 17) & mask
        at += (x % 3) * gap_ms
    return at


def door(entrance, tick, close_after):
    counter = 0
    while entrance.passed.value < entrance.staff:  # @op:load
        if entrance.door.is_set():  # @op:event_test
            say("door opening....")  # @op:say
            counter += 1
        else:
            say("door closed...., swipe to open.")  # @op:say
            counter = 0
            # Wait for a swipe, but look up once a tick so the door can stop
            # when everyone is through (the tutorial's door waits for ever).
            while not entrance.door.wait(tick):  # @op:event_wait
                if entrance.passed.value >= entrance.staff:  # @op:load
                    return
        if counter > close_after:
            entrance.door.clear()  # @op:event_clear
        time.sleep(tick)  # @op:sleep


def staff(entrance, n, arrival, tick):
    time.sleep(arrival)  # @op:sleep
    say(f"staff [{n}] is coming...")  # @op:say
    while True:
        if entrance.door.is_set():  # @op:event_test
            entrance.passed.add(1)  # @op:add
            say(f"staff [{n}]: door is opened, passing.....")  # @op:say
            break
        say(f"staff [{n}] sees door got closed, swiping the card.....")  # @op:say
        entrance.swipes.add(1)  # @op:add
        entrance.door.set()  # @op:event_set
        time.sleep(tick)  # @op:sleep


# ---- the figures: invariants over the record ---------------------------------

def fold(notes):
    """Replays the notes in order, as lockstep folds its trace: how often the
    door opened and closed, and whether anybody passed after their last look
    saw the door closed."""
    f = dict(openings=0, closings=0, passed_closed=0, order_errors=0)
    is_open = False
    seen = {}
    for actor, op, obj, value in notes:
        if obj == "door":
            if op == "set":
                f["openings"] += not is_open
                is_open = True
            elif op == "clear":
                f["closings"] += is_open
                is_open = False
            elif op == "test":
                seen[actor] = value
                f["order_errors"] += value != is_open
        elif obj == "passed" and op == "add":
            f["passed_closed"] += seen.get(actor) is not True
    return f


def main():
    p = parse_params(sys.argv[1:])
    started = time.monotonic()
    record = Record()
    entrance = Entrance(record, p["staff"])
    tick = p["tick_ms"] / 1000

    # Daemon threads only so that a Ctrl-C ends the program at once; they are
    # all joined below.
    door_thread = threading.Thread(target=door, name="door", daemon=True,
                                   args=(entrance, tick, p["close_after"]))
    people = [threading.Thread(target=staff, name=f"staff{n + 1}", daemon=True,
                               args=(entrance, n,
                                     arrival_ms(p["arrival_seed"], p["gap_ms"], n) / 1000, tick))
              for n in range(p["staff"])]
    for t in [door_thread] + people:
        t.start()
    for t in [door_thread] + people:
        t.join()

    f = fold(record.notes)
    passed, swipes = entrance.passed.value, entrance.swipes.value
    ok = passed == p["staff"] and f["passed_closed"] == 0 and f["order_errors"] == 0
    if ok:
        summary = (f"all {passed} staff passed through an open door; {swipes} swipes opened it "
                   f"{f['openings']} times (a swipe on an open door changes nothing)")
    else:
        summary = (f"{passed} of {p['staff']} passed, {f['passed_closed']} through a closed "
                   f"door, {f['order_errors']} checks out of order")
    outcome = {
        "scenario": "door",
        "params": p,
        "actors": {"kind": "threads", "count": 1 + len(people)},
        "status": "finished",
        "verdict": {
            "ok": ok,
            "expected": f"all {p['staff']} staff pass, each through an open door",
            "observed": f"{passed} passed ({f['passed_closed']} through a closed door) after "
                        f"{swipes} swipes; door opened {f['openings']} and closed "
                        f"{f['closings']} times",
            "summary": summary,
        },
        "figures": {"passed": passed, "swipes": swipes, **f},
        "elapsed_ms": round((time.monotonic() - started) * 1000, 3),
    }
    print(json.dumps(outcome), flush=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        # Ctrl-C: end quietly, with the status a shell expects.
        sys.exit(130)
