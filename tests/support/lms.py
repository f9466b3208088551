"""The real LMSs from ../shared/lms: Moodle 4.5 (mod_scorm, mod_tincanlaunch), its LRS, and ADL's CATAPULT.

Session fixtures install what is missing (idempotent; about 3.5 minutes on a fresh machine, seconds after),
start what is not running, and at the end stop only what they started. Where ../shared/lms is absent (a clone
outside this workplace) every test that asks for them is skipped with one reason.

Helpers run the CLI tools the LMS folder ships (`moodle/php.sh moodle/scorm_import.php …`) and return their
JSON, so a test reads back what Moodle itself stored.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LMS_DIR = ROOT.parent / "shared" / "lms"
LMS_HOME = Path(os.environ.get("LMS_HOME") or Path(os.environ.get("TMPDIR") or "/tmp") / "lms-home")
ABSENT = f"real LMSs not available: {LMS_DIR} is absent (a clone outside the ece-scorm workplace)"


def _env() -> dict[str, str]:
    return {**os.environ, "LMS_HOME": str(LMS_HOME)}


def _script(rel: str, *args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(LMS_DIR / rel), *args], env=_env(), capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"{rel} {' '.join(args)} failed ({done.returncode}):\n{done.stdout[-2000:]}\n"
            f"{done.stderr[-4000:]}"
        )
    return done


def _started(output: str) -> bool:
    return " started" in output


@dataclass
class Service:
    """One system of ../shared/lms: installed once, started if it was not, stopped after if we started it."""

    name: str  # moodle | xapi | catapult
    started_here: bool = False
    info: dict = field(default_factory=dict)

    def up(self) -> Service:
        _script(f"{self.name}/install.sh")
        out = _script(f"{self.name}/start.sh").stdout
        self.started_here = _started(out)
        return self

    def down(self) -> None:
        if self.started_here:
            _script(f"{self.name}/stop.sh", timeout=120)


def _service(name: str, request: pytest.FixtureRequest) -> Service:
    if not LMS_DIR.is_dir():
        pytest.skip(ABSENT)
    svc = Service(name).up()
    request.addfinalizer(svc.down)
    return svc


@pytest.fixture(scope="session")
def moodle(request: pytest.FixtureRequest) -> Moodle:
    """A running Moodle 4.5 on 127.0.0.1 (with the LRS mod_tincanlaunch uses)."""
    _service("moodle", request)
    return Moodle()


@pytest.fixture(scope="session")
def moodle_lrs(request: pytest.FixtureRequest, moodle: Moodle) -> dict[str, str]:
    """The xAPI endpoint mod_tincanlaunch is pointed at (Learning Locker behind the document-API proxy)."""
    _service("xapi", request)
    port = os.environ.get("LRSPROXY_PORT", "8400")
    return {
        "endpoint": f"http://127.0.0.1:{port}/xAPI/",
        "username": os.environ.get("LRSPROXY_USER", "moodle-lrs"),
        "password": os.environ.get("LRSPROXY_PASS", "moodle-lrs-secret"),
    }


@pytest.fixture(scope="session")
def catapult(request: pytest.FixtureRequest) -> dict[str, str]:
    """ADL's CATAPULT cmi5 player: its URL, API key/secret and LRS credentials (run/env.json)."""
    _service("catapult", request)
    return json.loads((LMS_HOME / "catapult" / "run" / "env.json").read_text())


class Moodle:
    """Moodle's CLI helpers: import a package through the add-activity validation, read back the tracks."""

    base = f"http://127.0.0.1:{os.environ.get('MOODLE_PORT', '8765')}"

    def php(self, *args: str, timeout: float = 300, ok: tuple[int, ...] = (0,)) -> dict:
        done = subprocess.run(
            [str(LMS_DIR / "moodle" / "php.sh"), *args],
            env=_env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode not in ok:
            raise RuntimeError(
                f"php {' '.join(args)} exited {done.returncode}:\n{done.stdout[-3000:]}\n"
                f"{done.stderr[-3000:]}"
            )
        start = done.stdout.find("{")
        return json.loads(done.stdout[start:]) if start >= 0 else {"returncode": done.returncode}

    def import_scorm(self, zip_path: Path, settings: dict | None = None, ok: tuple[int, ...] = (0,)) -> dict:
        args = [str(LMS_DIR / "moodle" / "scorm_import.php"), f"--zip={zip_path}"]
        if settings:
            args.append(f"--settings={json.dumps(settings)}")
        return self.php(*args, ok=ok)

    def scorm_report(self, cmid: int, *, username: str = "learner", full: bool = True) -> dict:
        args = [str(LMS_DIR / "moodle" / "scorm_report.php"), f"--cmid={cmid}", f"--username={username}"]
        if full:
            args.append("--full-values")
        return self.php(*args)

    def import_tincan(self, zip_path: Path, settings: dict | None = None) -> dict:
        args = [str(LMS_DIR / "moodle" / "tincan_import.php"), f"--zip={zip_path}"]
        if settings:
            args.append(f"--settings={json.dumps(settings)}")
        return self.php(*args)

    def tincan_report(self, cmid: int, *, sync: bool = True) -> dict:
        args = [str(LMS_DIR / "moodle" / "tincan_import.php"), "--report", f"--cmid={cmid}"]
        if sync:
            args.append("--sync")
        return self.php(*args)

    def standards_mode(self, on: bool) -> None:
        """Set Moodle's "SCORM standards mode" (scorm | scormstandard); off is Moodle's default."""
        self.php("admin/cli/cfg.php", "--component=scorm", "--name=scormstandard", f"--set={1 if on else 0}")


# --- The ECE course's xAPI and cmi5 packages for the tincan / CATAPULT tests (lms-xapi) ---------------------

_XAPI_CMI5_BUILT: dict[str, Path] = {}


def build_xapi_cmi5_packages(out: Path) -> dict[str, Path]:
    """Build course_source as xAPI and cmi5 once per process (with the real CLI); return {zip stem: zip}."""
    if not _XAPI_CMI5_BUILT:
        from click.testing import CliRunner

        from ece_scorm.cli import cli

        for fmt in ("xapi", "cmi5"):
            args = ["build", str(ROOT / "course_source"), "--format", fmt, "--out", str(out), "-q"]
            result = CliRunner().invoke(cli, args, catch_exceptions=False)
            assert result.exit_code == 0, result.output
        _XAPI_CMI5_BUILT.update({z.stem: z for z in sorted(out.glob("*.zip"))})
    return dict(_XAPI_CMI5_BUILT)


@pytest.fixture(scope="session")
def xapi_cmi5_packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The bundled course's packages: ece-<module>-xapi.zip for each module and ece-series-cmi5.zip."""
    return build_xapi_cmi5_packages(tmp_path_factory.mktemp("ece-lms-xapi-cmi5"))


# ---- SCORM tier (tests/lms/test_moodle_scorm*.py): the course's packages, built once per session ----------

SCORM_FORMATS = ("scorm12", "scorm2004")


@pytest.fixture(scope="session")
def scorm_packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """Build the bundled course's SCORM 1.2 and 2004 packages once: {fmt: {module id | "series": zip}}."""
    from click.testing import CliRunner

    from ece_scorm.cli import cli

    out = tmp_path_factory.mktemp("scorm-packages")
    source = str(ROOT / "course_source")
    runner = CliRunner()
    fmts = ",".join(SCORM_FORMATS)
    for extra, folder in (([], out / "modules"), (["--bundle", "series"], out / "series")):
        done = runner.invoke(cli, ["build", source, "--format", fmts, "--out", str(folder), "-q", *extra])
        assert done.exit_code == 0, done.output
    found: dict[str, dict[str, Path]] = {fmt: {} for fmt in SCORM_FORMATS}
    for fmt in SCORM_FORMATS:
        for zip_path in sorted((out / "modules").glob(f"ece-*-{fmt}.zip")):
            found[fmt][zip_path.name[len("ece-") : -len(f"-{fmt}.zip")]] = zip_path
        found[fmt]["series"] = out / "series" / f"ece-series-{fmt}.zip"
    return found


def _standards_mode(moodle: Moodle, on: bool) -> Iterator[Moodle]:
    moodle.standards_mode(on)
    try:
        yield moodle
    finally:
        moodle.standards_mode(False)  # Moodle's default, which every other test expects


@pytest.fixture
def standards_on(moodle: Moodle) -> Iterator[Moodle]:
    """Moodle with "SCORM standards mode" on for one test (SCORM 1.2 limits 255 / 4,096), off after."""
    yield from _standards_mode(moodle, True)


@pytest.fixture
def standards_off(moodle: Moodle) -> Iterator[Moodle]:
    """Moodle with "SCORM standards mode" off (its default: 64,000-character strings), off after too."""
    yield from _standards_mode(moodle, False)
