"""Run one child process and measure it: whole-process wall time, CPU time and peak RSS.

Peak RSS comes from `/usr/bin/time -v` when it is installed (the method of
../shared/peers/EZKL_BASELINE.md) and otherwise from the rusage that wait4 returns for that one child —
both report the child's maximum resident set, so the two agree. Wall time is the parent's perf_counter
around the child's whole life (start-up, key loading, work, writing files), at a finer resolution than
time's 10 ms.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

TIME_BINARY = "/usr/bin/time"


def ensure_gnu_time() -> bool:
    """Installs Debian's `time` package when /usr/bin/time is missing (root only); True when usable."""
    if os.path.exists(TIME_BINARY):
        return True
    if shutil.which("apt-get") is None:
        return False
    sudo = [] if os.geteuid() == 0 else (["sudo"] if shutil.which("sudo") else None)
    if sudo is None:
        return False
    print("installing Debian package 'time' for /usr/bin/time -v", file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        subprocess.run(sudo + ["apt-get", "update"], check=True, env=env, capture_output=True)
        subprocess.run(sudo + ["apt-get", "install", "-y", "time"], check=True, env=env, capture_output=True)
    except (subprocess.CalledProcessError, OSError) as error:
        print(f"could not install 'time' ({error}); falling back to wait4 rusage", file=sys.stderr)
    return os.path.exists(TIME_BINARY)


def _parse_time_v(text: str) -> dict:
    """The fields of `time -v` this bench uses (peak RSS in kB, user/system seconds)."""
    out = {}
    for line in text.splitlines():
        key, _, value = line.strip().rpartition(": ")
        if key == "Maximum resident set size (kbytes)":
            out["peak_rss_kb"] = int(value)
        elif key == "User time (seconds)":
            out["user_s"] = float(value)
        elif key == "System time (seconds)":
            out["sys_s"] = float(value)
        elif key == "Exit status":
            out["exit_status"] = int(value)
    return out


class Measured:
    """The outcome of one measured child process."""

    def __init__(self, command, returncode, wall_s, cpu_s, peak_rss_mb, stdout, stderr, rss_source, timed_out):
        self.command = command
        self.returncode = returncode
        self.wall_s = wall_s
        self.cpu_s = cpu_s
        self.peak_rss_mb = peak_rss_mb
        self.stdout = stdout
        self.stderr = stderr
        self.rss_source = rss_source
        self.timed_out = timed_out

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    def summary(self) -> dict:
        return {"ok": self.ok, "returncode": self.returncode, "wall_s": round(self.wall_s, 4),
                "cpu_s": None if self.cpu_s is None else round(self.cpu_s, 3),
                "peak_rss_mb": None if self.peak_rss_mb is None else round(self.peak_rss_mb, 1),
                "timed_out": self.timed_out}

    def error_text(self, limit: int = 600) -> str:
        if self.timed_out:
            return "timed out"
        text = (self.stderr or "").strip() or (self.stdout or "").strip()
        return f"exit {self.returncode}: {text[-limit:]}"


def run(command, use_time: bool, timeout_s: float = 3600.0, env=None, cwd=None) -> Measured:
    """Runs `command` (a list) once, with stdout/stderr captured through files (no pipe deadlocks)."""
    with tempfile.TemporaryDirectory(prefix="bench-peers-") as tmp:
        out_path, err_path, time_path = (os.path.join(tmp, n) for n in ("out", "err", "time"))
        full = ([TIME_BINARY, "-v", "-o", time_path] if use_time else []) + list(command)
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            start = time.perf_counter()
            try:
                child = subprocess.Popen(full, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                         env=env, cwd=cwd, start_new_session=True)
            except OSError as error:
                return Measured(command, 127, 0.0, None, None, "", f"cannot start: {error}", "none", False)
            timed_out = threading.Event()

            def kill():
                timed_out.set()
                try:
                    os.killpg(child.pid, 9)
                except ProcessLookupError:
                    pass

            timer = threading.Timer(timeout_s, kill)
            timer.start()
            # wait4 reaps exactly this child and returns its own rusage (ru_maxrss in kB on Linux).
            _, status, usage = os.wait4(child.pid, 0)
            wall = time.perf_counter() - start
            timer.cancel()
            child.returncode = os.waitstatus_to_exitcode(status)
        stdout = open(out_path, encoding="utf-8", errors="replace").read()
        stderr = open(err_path, encoding="utf-8", errors="replace").read()
        cpu = usage.ru_utime + usage.ru_stime
        rss_mb = usage.ru_maxrss / 1024.0
        source = "wait4"
        returncode = child.returncode
        if use_time and os.path.exists(time_path):
            parsed = _parse_time_v(open(time_path, encoding="utf-8", errors="replace").read())
            if "peak_rss_kb" in parsed:
                rss_mb = parsed["peak_rss_kb"] / 1024.0
                source = "time -v"
            if "user_s" in parsed and "sys_s" in parsed:
                cpu = parsed["user_s"] + parsed["sys_s"]
            # time exits with the child's status, but a signal-killed child is reported only here.
            if "exit_status" in parsed and parsed["exit_status"] != 0:
                returncode = parsed["exit_status"] or returncode
        return Measured(command, returncode, wall, cpu, rss_mb, stdout, stderr, source, timed_out.is_set())
