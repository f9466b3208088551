# Sourced by scripts/build and scripts/test: choose a Python that pip may install into.
# The current python3 is used unless it is "externally managed" (PEP 668, e.g. Debian's own /usr/bin/python3),
# in which case a project virtual environment .venv/ is created and put first on PATH.
choose_python() {
  PY=python3
  if [ -n "${VIRTUAL_ENV:-}" ]; then return 0; fi
  if python3 -c 'import pathlib, sys, sysconfig
sys.exit(0 if (pathlib.Path(sysconfig.get_path("stdlib")) / "EXTERNALLY-MANAGED").exists() else 1)'; then
    if [ ! -x .venv/bin/python ]; then
      if ! python3 -c 'import ensurepip' 2>/dev/null; then
        SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
      fi
      python3 -m venv .venv
    fi
    PY="$PWD/.venv/bin/python"
    export PATH="$PWD/.venv/bin:$PATH"
  fi
}
