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
        elif line.strip().startswith("Command terminated by signal "):
            out["signal"] = int(line.strip().rsplit(" ", 1)[1])
    return out


def _group_rss_mb(pgid: int) -> float:
    """Resident memory of every process in process group `pgid` (the measured child and its children, e.g.
    /usr/bin/time and the tool), in MB, from /proc; 0 when none is left."""
    total_kb = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[2]) != pgid:  # fields after the command name: state, ppid, pgrp, ...
                continue
            with open(f"/proc/{entry}/status", encoding="ascii", errors="replace") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total_kb += int(line.split()[1])
                        break
        except (OSError, ValueError, IndexError):
            continue
    return total_kb / 1024.0


class Measured:
    """The outcome of one measured child process."""

    def __init__(self, command, returncode, wall_s, cpu_s, peak_rss_mb, stdout, stderr, rss_source, timed_out,
                 memory_killed=False, memory_limit_mb=None, signal=None, timeout_s=None):
        self.command = command
        self.returncode = returncode
        self.wall_s = wall_s
        self.cpu_s = cpu_s
        self.peak_rss_mb = peak_rss_mb
        self.stdout = stdout
        self.stderr = stderr
        self.rss_source = rss_source
        self.timed_out = timed_out
        self.memory_killed = memory_killed  # killed by run()'s own memory limit (memory_limit_mb)
        self.memory_limit_mb = memory_limit_mb
        self.signal = signal  # the signal that ended the tool, when one did (9 without a limit: the kernel's OOM killer?)
        self.timeout_s = timeout_s

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out and not self.memory_killed

    def summary(self) -> dict:
        record = {"ok": self.ok, "returncode": self.returncode, "wall_s": round(self.wall_s, 4),
                  "cpu_s": None if self.cpu_s is None else round(self.cpu_s, 3),
                  "peak_rss_mb": None if self.peak_rss_mb is None else round(self.peak_rss_mb, 1),
                  "timed_out": self.timed_out}
        if self.memory_killed or self.signal is not None:
            record.update(killed_for_memory=self.memory_killed, memory_limit_mb=self.memory_limit_mb, signal=self.signal)
        return record

    def error_text(self, limit: int = 600) -> str:
        if self.timed_out:
            return "timed out" + (f" after {self.timeout_s:g} s" if self.timeout_s else "")
        if self.memory_killed:
            return (f"killed for memory: resident memory reached the {self.memory_limit_mb / 1024:.1f} GiB limit "
                    f"after {self.wall_s:.0f} s")
        if self.signal is not None:
            likely = " (SIGKILL from outside: the kernel's out-of-memory killer?)" if self.signal == 9 else ""
            return f"killed by signal {self.signal}{likely} after {self.wall_s:.0f} s"
        text = (self.stderr or "").strip() or (self.stdout or "").strip()
        return f"exit {self.returncode}: {text[-limit:]}"


def run(command, use_time: bool, timeout_s: float = 3600.0, env=None, cwd=None, memory_limit_mb=None) -> Measured:
    """Runs `command` (a list) once, with stdout/stderr captured through files (no pipe deadlocks). With
    `memory_limit_mb`, a watchdog sums the resident memory of the child's process group twice a second and
    kills the group when it passes the limit (reported as killed for memory, never as a plain failure): on
    a shared machine without swap that keeps one runaway step from waking the kernel's OOM killer, which
    could pick another process."""
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
            memory_killed = threading.Event()
            finished = threading.Event()
            sampled_peak_mb = [0.0]  # the group's largest sampled RSS: the figure left when a kill loses time's report

            def watch_memory():
                while not finished.wait(0.5):
                    rss = _group_rss_mb(child.pid)
                    sampled_peak_mb[0] = max(sampled_peak_mb[0], rss)
                    if memory_limit_mb and rss > memory_limit_mb:
                        memory_killed.set()
                        try:
                            os.killpg(child.pid, 9)
                        except ProcessLookupError:
                            pass
                        return

            watchdog = threading.Thread(target=watch_memory, daemon=True)
            watchdog.start()
            # wait4 reaps exactly this child and returns its own rusage (ru_maxrss in kB on Linux).
            _, status, usage = os.wait4(child.pid, 0)
            wall = time.perf_counter() - start
            timer.cancel()
            finished.set()
            watchdog.join()
            child.returncode = os.waitstatus_to_exitcode(status)
        stdout = open(out_path, encoding="utf-8", errors="replace").read()
        stderr = open(err_path, encoding="utf-8", errors="replace").read()
        cpu = usage.ru_utime + usage.ru_stime
        rss_mb = usage.ru_maxrss / 1024.0
        source = "wait4"
        returncode = child.returncode
        signal = -returncode if returncode < 0 else None
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
            signal = parsed.get("signal", signal)
        elif use_time and returncode == 137:  # time itself was killed (the whole group is): no report written
            signal = 9
        if source == "wait4" and (timed_out.is_set() or memory_killed.is_set() or signal is not None):
            # A killed group leaves no time report, and wait4 saw only the direct child: keep what was sampled.
            rss_mb = max(rss_mb, sampled_peak_mb[0])
            source = "sampled"
        return Measured(command, returncode, wall, cpu, rss_mb, stdout, stderr, source, timed_out.is_set(),
                        memory_killed.is_set(), memory_limit_mb, signal, timeout_s)
