#!/usr/bin/env python3
"""tickets.py - grabbing the last ticket from a file, in plain Python processes.

The Python program behind lockstep's `tickets` lesson (tutorial 002's ticket
grabbing).  A file db.txt holds {"count": 1}.  Each buyer is a process: it
looks at how many tickets are left (search), then tries to buy (get): read
the file, wait `read_delay_ms` for the network, and if a ticket is left take
one off, wait `write_delay_ms`, and write the file back.  Without a lock
every buyer reads count 1 before anyone has written 0 back, so many of them
"buy" the same ticket.  With a lock around get() - a multiprocessing.Lock
(lock=mutex) or flock on the file itself (lock=flock) - the buyers pass one
at a time and exactly one ticket is sold.

The file lives in a private temporary directory that is removed at the end,
however the run ends.

Usage: python3 tickets.py [NAME=VALUE ...]    e.g. buyers=100 lock=mutex
The last line printed is the outcome as one JSON object.

Lines ending in an @op:NAME comment do the shared operations the C lesson
probes (NAME is the C engine's name for the operation).
"""

import json
import multiprocessing
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from typing import NamedTuple, Optional, Tuple

try:
    import fcntl          # flock(2); POSIX only
except ImportError:       # pragma: no cover - e.g. Windows
    fcntl = None


# ---- the command line: NAME=VALUE words, as `lockstep run tickets` takes ----

class Param(NamedTuple):
    name: str
    default: int
    low: int
    high: int
    help: str
    choices: Optional[Tuple[str, ...]] = None


LOCK_NONE, LOCK_MUTEX, LOCK_FLOCK = 0, 1, 2

PARAMS = (
    Param("buyers", 100, 1, 1000, "processes, each trying to buy one ticket"),
    Param("tickets", 1, 0, 1000000, "tickets in the file at the start"),
    Param("read_delay_ms", 100, 0, 10000, "network delay after reading the file"),
    Param("write_delay_ms", 200, 0, 10000, "network delay before writing it back"),
    Param("lock", LOCK_NONE, LOCK_NONE, LOCK_FLOCK,
          "what guards get(): nothing, a shared mutex, or flock", ("none", "mutex", "flock")),
)

PROG = os.path.basename(sys.argv[0] or "tickets.py")
WHOLE = re.compile(r"[+-]?[0-9]+")


def usage_error(message):
    """Bad input gets one line on stderr and exit status 2, nothing else."""
    print(f"{PROG}: {message}", file=sys.stderr)
    sys.exit(2)


def print_usage():
    print(f"usage: {PROG} [NAME=VALUE ...] [--help]")
    print("Ticket grabbing: processes buy the tickets kept in a JSON file, without or with a lock.")
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

def say(text):
    """One whole line per call, flushed at once: many processes share stdout."""
    sys.stdout.write(f"{multiprocessing.current_process().name}: {text}\n")
    sys.stdout.flush()


def parse_count(text):
    """json.load for the one key the file has; None when the text is no count
    (a buyer caught another between its truncate and its write)."""
    try:
        count = json.loads(text)["count"]
    except (ValueError, KeyError, TypeError):
        return None
    return count if isinstance(count, int) else None


def search(db):
    """How many tickets are left, as the buyer sees it before trying."""
    with open(db, encoding="utf-8") as f:
        text = f.read()  # @op:file_read
    count = parse_count(text)
    if count is None:
        say(f'read "{text}", not a count: caught a buyer mid-write (JSONDecodeError)')  # @op:say
    else:
        say(f"tickets left: {count} (剩余票数{count})")  # @op:say


def get(db, read_delay, write_delay):
    """Read, think, take one, think, write back: True when this buyer bought."""
    with open(db, encoding="utf-8") as f:
        text = f.read()  # @op:file_read
    count = parse_count(text)
    # The network is slow: everyone else may read the same count meanwhile.
    time.sleep(read_delay)  # @op:sleep
    if count is None:
        # Read between another buyer's truncate and write: no count, no sale.
        say(f'read "{text}", not a count: caught a buyer mid-write (JSONDecodeError)')  # @op:say
        return False
    if count <= 0:
        return False
    count -= 1
    text = json.dumps({"count": count})
    time.sleep(write_delay)  # @op:sleep
    # Mode "w" truncates the file first, then writes: a reader may see it empty.
    with open(db, "w", encoding="utf-8") as f:
        f.write(text)  # @op:file_write
    say("bought a ticket (购票成功)")  # @op:say
    return True


def buyer(db, lock_kind, lock, read_delay, write_delay, sold):
    """One client process: look, then try to buy, guarded as lock_kind says."""
    # The parent cleans up on a signal; a buyer just ends.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    search(db)
    if lock_kind == LOCK_MUTEX:
        # One lock shared by every buyer process makes read-decide-write whole.
        lock.acquire()  # @op:lock
        try:
            bought = get(db, read_delay, write_delay)
        finally:
            lock.release()  # @op:unlock
    elif lock_kind == LOCK_FLOCK:
        # Or lock the ticket file itself, as unrelated programs would; the
        # lock belongs to this open file, which stays open for the whole get().
        with open(db, "rb") as guard:
            fcntl.flock(guard, fcntl.LOCK_EX)  # @op:file_lock
            try:
                bought = get(db, read_delay, write_delay)
            finally:
                fcntl.flock(guard, fcntl.LOCK_UN)  # @op:file_unlock
    else:
        bought = get(db, read_delay, write_delay)
    if bought:
        # Bookkeeping for the figures, after the sale is done, so it changes
        # nothing in the race (the C lesson counts sales from its trace).
        with sold.get_lock():
            sold.value += 1


def end_on_signal(signum, _frame):
    """SIGTERM or SIGHUP: leave through the `finally` below, which stops the
    buyers and removes the temporary directory."""
    sys.exit(128 + signum)


def main():
    p = parse_params(sys.argv[1:])
    if p["lock"] == LOCK_FLOCK and fcntl is None:
        usage_error("lock=flock needs flock(2), which this system lacks")
    started = time.monotonic()
    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            signal.signal(sig, end_on_signal)

    workdir = tempfile.mkdtemp(prefix="tickets-")
    buyers = []
    try:
        db = os.path.join(workdir, "db.txt")
        with open(db, "w", encoding="utf-8") as f:
            json.dump({"count": p["tickets"]}, f)
        lock = multiprocessing.Lock()
        sold = multiprocessing.Value("i", 0)
        # Whatever this process has buffered must not be copied into children.
        sys.stdout.flush()
        for i in range(1, p["buyers"] + 1):
            b = multiprocessing.Process(
                target=buyer, name=f"P{i}",
                args=(db, p["lock"], lock, p["read_delay_ms"] / 1000,
                      p["write_delay_ms"] / 1000, sold))
            b.start()
            buyers.append(b)
        for b in buyers:
            b.join()
        with open(db, encoding="utf-8") as f:
            final_text = f.read()
        sold = sold.value
    finally:
        # However we leave, no buyer keeps running and no file stays behind.
        for b in buyers:
            if b.is_alive():
                b.terminate()
        for b in buyers:
            b.join()
        shutil.rmtree(workdir, ignore_errors=True)

    tickets = p["tickets"]
    expected = min(p["buyers"], tickets)
    oversold = max(sold - tickets, 0)
    left = parse_count(final_text)
    left = -1 if left is None else left
    crashed = sum(1 for b in buyers if b.exitcode != 0)
    noun = "ticket" if tickets == 1 else "tickets"

    def sales(n):
        return f"{n} ticket{'' if n == 1 else 's'}"

    if sold == expected:
        summary = (f"expected {sales(expected)} sold, {sold} {'was' if sold == 1 else 'were'} sold"
                   + (" (no lock, but this time every buyer wrote back before the next read)"
                      if p["lock"] == LOCK_NONE else
                      " (the lock let one buyer at a time read, decide and write back)"))
    elif oversold > 0:
        summary = (f"expected at most {tickets} {noun} sold, {sold} were sold: the "
                   f"{'ticket was' if tickets == 1 else 'tickets were'} oversold {oversold} "
                   f"time{'' if oversold == 1 else 's'} (buyers read the same count before "
                   "anyone wrote it back)")
    else:
        summary = (f"expected {sales(expected)} sold, only {sold} "
                   f"{'was' if sold == 1 else 'were'} sold")
    outcome = {
        "scenario": "tickets",
        "params": dict(p, lock=PARAMS[-1].choices[p["lock"]]),
        "actors": {"kind": "processes", "count": len(buyers), "crashed": crashed},
        "status": "finished",
        "verdict": {
            "ok": sold == expected and crashed == 0,
            "expected": f"{sales(expected)} sold: the file held {tickets}, "
                        f"{p['buyers']} buyer{'' if p['buyers'] == 1 else 's'} tried",
            "observed": f"{sales(sold)} sold, the file says {left} left",
            "summary": summary,
        },
        "figures": {"sold": sold, "tickets": tickets, "oversold": oversold, "left": left},
        "elapsed_ms": round((time.monotonic() - started) * 1000, 3),
    }
    print(json.dumps(outcome), flush=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        # Ctrl-C: end quietly, with the status a shell expects.
        sys.exit(130)
