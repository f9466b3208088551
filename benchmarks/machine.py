"""Describe the machine a benchmark ran on: CPU, cores, memory, load, OS, Python, Chromium, zip."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path

CHROMIUM = os.environ.get("ECE_CHROMIUM", "/usr/bin/chromium")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / (1024 * 1024):.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return "unknown"


def _os() -> str:
    try:
        for line in Path("/etc/os-release").read_text(encoding="utf-8").splitlines():
            if line.startswith("PRETTY_NAME="):
                return f"{line.split('=', 1)[1].strip().strip(chr(34))} (kernel {platform.release()})"
    except OSError:
        pass
    return platform.platform()


def _version(cmd: list[str], prefix: str = "") -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    lines = [line.strip() for line in (out.stdout or out.stderr).splitlines() if line.strip()]
    chosen = [line for line in lines if line.startswith(prefix)] or lines
    return chosen[0] if chosen else "unknown"


def load_average() -> str:
    """Return the 1/5/15-minute load averages (other work on the machine skews wall times)."""
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def describe() -> dict[str, str]:
    """Return the machine description shown at the top of RESULTS.md."""
    return {
        "CPU": _cpu_model(),
        "Cores": str(os.cpu_count() or "unknown"),
        "Memory": _memory(),
        "OS": _os(),
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "Chromium": _version([CHROMIUM, "--version"]),
        "Node.js (LRS)": _version(["node", "--version"]),
        "zip": _version(["zip", "-v"], "This is Zip").replace("This is ", ""),
        "Load average at start (1/5/15 min)": load_average(),
    }
