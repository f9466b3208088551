"""Inputs for the property-based fuzzing of the YAML source reader and the package inspector.

`yaml_texts` draws YAML-shaped text from the constructs a hostile or careless author could write (tags,
anchors, flow collections, deep nesting, control characters, odd scalars); `mutated_zip` damages a seed
package byte by byte. `run_validate` runs the CLI in-process and returns what a user would see.
"""

from __future__ import annotations

import io
import tracemalloc
import zipfile

from click.testing import CliRunner
from hypothesis import strategies as st

from ece_scorm.cli import cli
from tests.support.bad_packages import ece_data, scorm12_files
from tests.support.hostile import COURSE, MODULE, SVG_SCRIPT

TOKENS = [
    "id: ",
    "title: ",
    "modules: ",
    "languages: [en, fr]\n",
    "pages:\n",
    "  - ",
    "    ",
    "\n",
    ": ",
    "- ",
    "{",
    "}",
    "[",
    "]",
    ", ",
    "&a ",
    "*a",
    "<<: ",
    "!!python/object:os.system ",
    "!!int ",
    "!!binary ",
    "? ",
    "|\n",
    ">-\n",
    "'",
    '"',
    "\\x00",
    "\t",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "#",
    "~",
    "null",
    "yes",
    "1e999",
    ".nan",
    "0x1F",
    "0o17",
    "https://[HOST]/x",
    "media/../../etc/passwd",
    "\u200b",
    "é",
    "\ufeff",
    "\x7f",
    "\x85",
    "\U0001f600",
]
yaml_texts = st.one_of(
    st.lists(st.sampled_from(TOKENS) | st.text(max_size=8), max_size=60).map("".join),
    st.integers(min_value=1, max_value=5000).map(
        lambda n: "a:\n" + "".join(" " * i + "- [\n" for i in range(n))
    ),
    st.integers(min_value=1, max_value=50_000).map(lambda n: "x: " + "[" * n + "]" * n + "\n"),
    st.text(max_size=300),
)


def seed_zip() -> bytes:
    """Return a small valid package with an HTML page, our ece-data.js and an SVG, to be damaged."""
    files = {**scorm12_files(), "ece-data.js": ece_data("scorm12", 100, 4096), "media/a.svg": SVG_SCRIPT}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


SEED = seed_zip()


@st.composite
def mutated_zip(draw) -> bytes:
    """Return the seed package with bytes flipped, cut, duplicated or inserted."""
    data = bytearray(SEED)
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "duplicate", "set-int"]))
        at = draw(st.integers(min_value=0, max_value=max(0, len(data) - 1)))
        if kind == "flip" and data:
            data[at] ^= draw(st.integers(min_value=1, max_value=255))
        elif kind == "cut":
            data = data[:at]
        elif kind == "insert":
            data[at:at] = draw(st.binary(max_size=64))
        elif kind == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(min_value=1, max_value=512))]
        elif kind == "set-int" and len(data) >= at + 4:
            # Rewrite a 32-bit field: sizes, offsets and counts are where zips lie.
            value = draw(st.sampled_from([0, 1, 0xFFFF, 0xFFFFFFFF, 10**6, 2**31]))
            data[at : at + 4] = value.to_bytes(4, "little")
    return bytes(data)


def write_source(root, course_text: str | None = None, module_text: str | None = None) -> None:
    """Write a course folder whose course.yaml or module file holds the fuzzed text."""
    (root / "modules").mkdir(parents=True, exist_ok=True)
    (root / "course.yaml").write_text(
        COURSE if course_text is None else course_text, encoding="utf-8", errors="surrogatepass"
    )
    (root / "modules" / "m1.yaml").write_text(
        MODULE if module_text is None else module_text, encoding="utf-8", errors="surrogatepass"
    )


def run_validate(target, *, trace: bool = True) -> tuple[int, str, BaseException | None, int]:
    """Run `ece-scorm validate TARGET` in-process; return (exit code, output, exception, peak bytes).

    The peak is tracemalloc's (Python allocations) when trace is true, else 0: a process that measures
    its own resident peak leaves tracemalloc off, whose bookkeeping would count against it.
    """
    if not trace:
        result = CliRunner().invoke(cli, ["validate", str(target)])
        return result.exit_code, result.output, result.exception, 0
    tracemalloc.start()
    try:
        result = CliRunner().invoke(cli, ["validate", str(target)])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result.exit_code, result.output, result.exception, peak


def warm_up() -> None:
    """Validate a clean course and package once, so the first example does not pay for the imports."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        write_source(Path(tmp) / "c")
        (Path(tmp) / "p.zip").write_bytes(SEED)
        run_validate(Path(tmp) / "c", trace=False)
        run_validate(Path(tmp) / "p.zip", trace=False)
