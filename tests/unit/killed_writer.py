"""Run a writer in a child process and kill it mid-write, for the crash-safety tests.

The writer reads one line (its secret) from stdin, then prints a running count after each
commit. Killing it once it has reported enough commits lands the kill inside (or just after)
its next transaction; a watchdog never lets a stuck child hang the suite.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading


def kill_mid_write(script: str, args: list[str], secret: str, *, commits: int,
                   watchdog_seconds: float) -> int:
    """Kill the writer after `commits` reported commits; return the last count it reported."""
    proc = subprocess.Popen([sys.executable, "-c", script, *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(watchdog_seconds, proc.kill)
    watchdog.start()
    try:
        proc.stdin.write(secret + "\n")
        proc.stdin.close()
        reported = 0
        while reported < commits:
            line = proc.stdout.readline()
            assert line, f"the writer stopped on its own:\n{proc.stderr.read()}"
            reported = int(line)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        watchdog.cancel()
        proc.kill()
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    return reported
