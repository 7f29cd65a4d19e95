#!/usr/bin/env python3
"""deposit.py - the bank account race, in plain Python threads.

The Python program behind lockstep's `deposit` lesson (tutorial 000's bank
account with 100 depositing threads; tutorial 004's `num -= 1` is the same
race without the pause).  Each depositor thread reads the balance, spends
`delay_ms` "processing the deposit", then writes back the balance it read
plus its money.  Without a lock nearly every thread reads the same old
balance during that pause, so the writes overwrite each other and the
account ends far below what was paid in.  With `locked=1` a threading.Lock
makes each read-process-write whole and every deposit counts.

Usage: python3 deposit.py [NAME=VALUE ...]    e.g. depositors=100 locked=1
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


# ---- the command line: NAME=VALUE words, as `lockstep run deposit` takes ----

class Param(NamedTuple):
    name: str
    default: int
    low: int
    high: int
    help: str
    choices: Optional[Tuple[str, ...]] = None


PARAMS = (
    Param("depositors", 100, 1, 1000, "threads, each depositing once"),
    Param("amount", 1, 1, 1000000, "yuan each depositor adds"),
    Param("delay_ms", 10, 0, 10000, "time to process a deposit, between read and write"),
    Param("locked", 0, 0, 1, "1 protects the deposit with a lock"),
)

PROG = os.path.basename(sys.argv[0] or "deposit.py")
WHOLE = re.compile(r"[+-]?[0-9]+")


def usage_error(message):
    """Bad input gets one line on stderr and exit status 2, nothing else."""
    print(f"{PROG}: {message}", file=sys.stderr)
    sys.exit(2)


def print_usage():
    print(f"usage: {PROG} [NAME=VALUE ...] [--help]")
    print("Bank deposit race: threads add money to one account, without or with a lock.")
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

class Account:
    """One bank account shared by every depositor: the critical resource."""

    def __init__(self, locked):
        self._balance = 0
        self._lock = threading.Lock()
        self._locked = locked

    def deposit(self, money, delay):
        # The lock, when there is one, is held across the whole
        # read-process-write, so nobody reads the balance in the middle of
        # another deposit.
        if self._locked:
            self._lock.acquire()  # @op:lock
        try:
            new_balance = self._balance + money  # @op:load
            # Processing the deposit takes a while; another depositor may read
            # the same old balance meanwhile.  With no delay (004's num -= 1)
            # there is no pause at all, so no sleep either.
            if delay > 0:
                time.sleep(delay)  # @op:sleep
            self._balance = new_balance  # @op:store
        finally:
            # Released in `finally`, so a failing deposit cannot keep the
            # lock and stall every other depositor.
            if self._locked:
                self._lock.release()  # @op:unlock

    @property
    def balance(self):
        return self._balance


def main():
    p = parse_params(sys.argv[1:])
    started = time.monotonic()
    account = Account(locked=p["locked"] == 1)

    # One thread per depositor, each paying in once.  (Daemon threads only so
    # that a Ctrl-C ends the program at once; main() joins them all anyway.)
    depositors = [
        threading.Thread(target=account.deposit, args=(p["amount"], p["delay_ms"] / 1000),
                         name=f"T{i}", daemon=True)
        for i in range(1, p["depositors"] + 1)
    ]
    for t in depositors:
        t.start()
    for t in depositors:
        t.join()

    expected = p["depositors"] * p["amount"]
    balance = account.balance
    lost = (expected - balance) // p["amount"]
    print(f"balance: {balance} yuan", flush=True)

    if balance == expected:
        summary = (f"expected {expected}, got {balance}: every deposit counted"
                   + (" (the lock made each read-sleep-write whole)" if p["locked"] else ""))
    else:
        summary = (f"expected {expected}, got {balance}: {lost} deposit"
                   f"{' was' if lost == 1 else 's were'} lost (depositors read the same "
                   "old balance and overwrote each other)")
    outcome = {
        "scenario": "deposit",
        "params": p,
        "actors": {"kind": "threads", "count": len(depositors)},
        "status": "finished",
        "verdict": {
            "ok": balance == expected,
            "expected": f"balance {expected} yuan ({p['depositors']} deposits of {p['amount']})",
            "observed": f"balance {balance} yuan",
            "summary": summary,
        },
        "figures": {"expected": expected, "balance": balance, "lost": lost},
        "elapsed_ms": round((time.monotonic() - started) * 1000, 3),
    }
    print(json.dumps(outcome), flush=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        # Ctrl-C: end quietly, with the status a shell expects.
        sys.exit(130)
