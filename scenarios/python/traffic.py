#!/usr/bin/env python3
"""traffic.py - a traffic light and cars coordinated by a threading.Event.

The Python program behind lockstep's `traffic` lesson (tutorial 004's
lighter() and car() around one Event).  The light is an Event: set means
green, clear means red.  The light thread counts once a tick: green for
`green_ticks`, red for `red_ticks`, then green again.  A car that finds the
light green drives for a tick; one that finds it red says so and blocks in
wait() - no polling - until the light's set() releases every waiting car at
once.  The tutorial's light runs for ever; this one runs `cycles` full
cycles, then raises `stop` and sets the event once more so that no car is
left waiting at a red light that will never change.

Usage: python3 traffic.py [NAME=VALUE ...]    e.g. cars=3 tick_ms=200
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


# ---- the command line: NAME=VALUE words, as `lockstep run traffic` takes ----

class Param(NamedTuple):
    name: str
    default: int
    low: int
    high: int
    help: str
    choices: Optional[Tuple[str, ...]] = None


PARAMS = (
    Param("cars", 1, 1, 64, "car threads"),
    Param("cycles", 2, 1, 1000, "full green-then-red cycles before the light stops"),
    Param("tick_ms", 1000, 1, 60000, "one count of the light, and one drive of a car"),
    Param("green_ticks", 6, 1, 1000, "ticks the light stays green"),
    Param("red_ticks", 5, 1, 1000, "ticks the light stays red"),
)

PROG = os.path.basename(sys.argv[0] or "traffic.py")
WHOLE = re.compile(r"[+-]?[0-9]+")


def usage_error(message):
    """Bad input gets one line on stderr and exit status 2, nothing else."""
    print(f"{PROG}: {message}", file=sys.stderr)
    sys.exit(2)


def print_usage():
    print(f"usage: {PROG} [NAME=VALUE ...] [--help]")
    print("Traffic light and cars coordinated by an Event: green is set, red is clear.")
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


# ---- a record of every use of the light, for the figures ---------------------

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

class Road:
    """What the light and the cars share."""

    def __init__(self, record):
        self.light = RecordedEvent("light", record)   # set = green, clear = red
        self.stop = False                             # the light is switched off
        self.drives = RecordedCounter("drives", record)
        self.waits = RecordedCounter("waits", record)


def say(text):
    """One whole line per call: many threads share stdout."""
    sys.stdout.write(f"{threading.current_thread().name}: {text}\n")
    sys.stdout.flush()


def lighter(road, cycles, tick, green_ticks, red_ticks):
    for _ in range(cycles):
        road.light.set()  # @op:event_set
        for count in range(green_ticks + red_ticks):
            if count == green_ticks:
                road.light.clear()  # @op:event_clear
            if count < green_ticks:
                say("green light is on ...")  # @op:say
            else:
                say("red light is on ...")  # @op:say
            time.sleep(tick)  # @op:sleep
    # The tutorial's light never stops.  This one says so, then sets the
    # event once more: a car blocked at red must wake up to see `stop`.
    road.stop = True  # @op:store
    road.light.set()  # @op:event_set
    say("the light is switched off")  # @op:say


def car(road, tick):
    name = threading.current_thread().name
    while not road.stop:  # @op:load
        if road.light.is_set():  # @op:event_test
            road.drives.add(1)  # @op:add
            say(f"[{name}] running...")  # @op:say
            time.sleep(tick)  # @op:sleep
        else:
            road.waits.add(1)  # @op:add
            say(f"[{name}] sees red light, waiting...")  # @op:say
            # No polling: the car sleeps until the light calls set().
            road.light.wait()  # @op:event_wait
            say(f"[{name}] green light is on, start going...")  # @op:say


# ---- the figures: invariants over the record ---------------------------------

def fold(notes):
    """Replays the notes in order, as lockstep folds its trace: a car drives
    only after a look that saw green; every wait at red ends after a set();
    and how often a car that saw green was already going when it turned red
    (the gap between is_set() and driving, like running an amber light)."""
    f = dict(drives_on_red=0, wakes_on_red=0, red_after_check=0, greens=0, reds=0,
             order_errors=0)
    green, sets = False, 0
    seen, sets_at_block = {}, {}
    for actor, op, obj, value in notes:
        if obj == "light":
            if op == "set":
                sets += 1
                f["greens"] += not green
                green = True
            elif op == "clear":
                f["reds"] += green
                green = False
            elif op == "test":
                seen[actor] = value
                f["order_errors"] += value != green
            elif op == "wait" and not value:
                sets_at_block[actor] = sets        # it will block: note the sets so far
            elif op == "woke":
                blocked_at = sets_at_block.pop(actor, None)
                f["wakes_on_red"] += (not value) or (blocked_at is not None and sets == blocked_at)
        elif obj == "drives" and op == "add":
            f["drives_on_red"] += seen.get(actor) is not True
            f["red_after_check"] += seen.get(actor) is True and not green
            seen.pop(actor, None)
    return f


def main():
    p = parse_params(sys.argv[1:])
    started = time.monotonic()
    record = Record()
    road = Road(record)
    tick = p["tick_ms"] / 1000

    # Daemon threads only so that a Ctrl-C ends the program at once; they are
    # all joined below.
    light = threading.Thread(target=lighter, name="light", daemon=True,
                             args=(road, p["cycles"], tick, p["green_ticks"], p["red_ticks"]))
    cars = [threading.Thread(target=car, args=(road, tick), name=f"car{i}", daemon=True)
            for i in range(1, p["cars"] + 1)]
    for t in [light] + cars:
        t.start()
    for t in [light] + cars:
        t.join()

    f = fold(record.notes)
    drives, waits = road.drives.value, road.waits.value
    cars_done = sum(1 for t in cars if not t.is_alive())
    bad = f["drives_on_red"] + f["wakes_on_red"] + f["order_errors"]
    ok = bad == 0 and cars_done == p["cars"] and f["reds"] == p["cycles"]
    if ok:
        summary = ("every car drove only after seeing green and every wait at red ended when "
                   f"the light turned green; {f['red_after_check']} of {drives} drives began "
                   "just as it turned red (the gap between is_set() and driving)")
    else:
        summary = (f"{f['drives_on_red']} drives on red, {f['wakes_on_red']} waits ended on red, "
                   f"{f['order_errors']} checks out of order, {cars_done} of {p['cars']} cars "
                   f"finished, {f['reds']} of {p['cycles']} red phases")
    outcome = {
        "scenario": "traffic",
        "params": p,
        "actors": {"kind": "threads", "count": 1 + len(cars)},
        "status": "finished",
        "verdict": {
            "ok": ok,
            "expected": f"{p['cycles']} light cycles; cars drive only on green and every wait "
                        "at red ends on green",
            "observed": f"{f['reds']} red phases; {drives} drives ({f['drives_on_red']} on red), "
                        f"{waits} waits ({f['wakes_on_red']} woke on red)",
            "summary": summary,
        },
        "figures": {"drives": drives, "waits": waits, **f},
        "elapsed_ms": round((time.monotonic() - started) * 1000, 3),
    }
    print(json.dumps(outcome), flush=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        # Ctrl-C: end quietly, with the status a shell expects.
        sys.exit(130)
