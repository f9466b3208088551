"""Hostile inputs made in code: course sources, packages, Moodle downloads and LRS answers.

Nothing here comes from the project's own output. A course source is written by hand (`write_course`) and
each source case breaks it one way; packages start from the hand-written manifests of bad_packages.py;
Moodle downloads and LRS answers are written byte by byte. The expected message of every case sits beside
its builder, written by hand.
"""

from __future__ import annotations

import base64
import io
import os
import socket
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from tests.support.bad_packages import CMI5, INDEX, PLAYER, TINCAN, ece_data, scorm12_files, zip_of

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)

COURSE = """id: https://example.org/courses/hostile
title: {en: Hostile input, fr: Entrée hostile}
languages: [en, fr]
modules: [m1]
"""
MODULE = """id: m1
title: {en: One, fr: Un}
estimated_minutes: 5
pages:
  - id: p1
    title: {en: Page, fr: Page}
    blocks:
      - text: {en: Hello, fr: Bonjour}
      - type: image
        src: media/pic.png
        alt: {en: A dot, fr: Un point}
"""


def write_course(root: Path, module: str = MODULE, course: str = COURSE) -> Path:
    """Write a valid bilingual one-module course with one image; return its folder."""
    (root / "modules").mkdir(parents=True, exist_ok=True)
    (root / "media").mkdir(exist_ok=True)
    (root / "course.yaml").write_text(course, encoding="utf-8")
    (root / "modules" / "m1.yaml").write_text(module, encoding="utf-8")
    (root / "media" / "pic.png").write_bytes(PNG)
    return root


def _use_media(root: Path, name: str, data: bytes, src: str) -> None:
    """Write media/<name> and point the module's image at src."""
    (root / "media" / name).write_bytes(data)
    (root / "modules" / "m1.yaml").write_text(_image(src), encoding="utf-8")


def _image(src: str) -> str:
    return MODULE.replace("src: media/pic.png", f"src: {src}")


def _video(url: str) -> str:
    return MODULE + (
        "      - type: video\n        id: v1\n        title: {en: Clip, fr: Clip}\n"
        f"        url: '{url}'\n"
        "        captions: {en: media/en.vtt, fr: media/fr.vtt}\n"
        "        transcript: {en: Words, fr: Mots}\n"
    )


def _use_video(root: Path, url: str) -> None:
    """Add a video block with this url (and its two caption files) to the module."""
    for lang in ("en", "fr"):
        (root / "media" / f"{lang}.vtt").write_text("WEBVTT\n", encoding="utf-8")
    (root / "modules" / "m1.yaml").write_text(_video(url), encoding="utf-8")


def _theme(root: Path, *, yaml: str = "css: [theme.css]\n", index: str = "{{ data }}\n") -> Path:
    theme = root / "themes" / "default"
    (theme / "templates").mkdir(parents=True, exist_ok=True)
    (theme / "static").mkdir(exist_ok=True)
    (theme / "theme.yaml").write_text(yaml, encoding="utf-8")
    (theme / "templates" / "index.html.j2").write_text(index, encoding="utf-8")
    (theme / "static" / "theme.css").write_text("body { color: #000; }\n", encoding="utf-8")
    return theme


def _fifo(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)


def _unix_socket(path: Path) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    return sock  # kept open by the caller until the case is done


SVG_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
SVG_ONLOAD = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>'
SVG_EXTERNAL = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    b'<image xlink:href="https://tracker.example.net/pixel.png" width="1" height="1"/></svg>'
)
SVG_FOREIGN = (
    b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" '
    b'src="https://example.net/"/></foreignObject></svg>'
)
SVG_CLEAN = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1" fill="#036"/></svg>'


def _reflections(n: int) -> str:
    return MODULE + "".join(
        f"      - type: reflection\n        id: r{i}\n"
        f"        prompt: {{en: Question {i}?, fr: Question {i}?}}\n"
        for i in range(n)
    )


def _wide_quiz(root: Path) -> None:
    (root / "quizzes").mkdir(exist_ok=True)
    choices = "".join(f"      - {{id: c{i}, text: {{en: C{i}, fr: C{i}}}}}\n" for i in range(31))
    (root / "quizzes" / "q1.yaml").write_text(
        "title: {en: Quiz, fr: Quiz}\nquestions:\n  - id: x0\n    type: single\n"
        "    prompt: {en: Which?, fr: Lequel?}\n    choices:\n" + choices + "    answer: c0\n",
        encoding="utf-8",
    )
    module = root / "modules" / "m1.yaml"
    module.write_text(module.read_text() + "      - type: quiz\n        ref: q1\n", encoding="utf-8")


# A source case: (mutate the course folder, where the message is, the message words). Where: the file path
# relative to the course folder, with ":line" when the line is part of the promise. When build and
# validate must both refuse it, the words appear in both outputs.
SourceCase = tuple[Callable[[Path], object], str, str]

SOURCE_CASES: dict[str, SourceCase] = {
    "course-id-host-placeholder": (
        lambda r: (r / "course.yaml").write_text(COURSE.replace("example.org", "[HOST]")),
        "course.yaml:1",
        "course id must be an absolute http(s) IRI",
    ),
    "course-id-broken-ipv6": (
        lambda r: (r / "course.yaml").write_text(COURSE.replace("https://example.org", "https://[::1")),
        "course.yaml:1",
        "course id must be an absolute http(s) IRI",
    ),
    "course-id-port-out-of-range": (
        lambda r: (r / "course.yaml").write_text(COURSE.replace("example.org", "example.org:99999")),
        "course.yaml:1",
        "course id must be an absolute http(s) IRI",
    ),
    "video-url-host-placeholder": (
        lambda r: _use_video(r, "https://[HOST]/clip.mp4"),
        "modules/m1.yaml:15",
        "video url must be an absolute https URL",
    ),
    "video-url-broken-ipv6": (
        lambda r: _use_video(r, "https://[fe80::1%25/clip.mp4"),
        "modules/m1.yaml:15",
        "video url must be an absolute https URL",
    ),
    "media-symlink-loop": (
        lambda r: (r / "media" / "pic.png").unlink() or os.symlink("pic.png", r / "media" / "pic.png"),
        "modules/m1.yaml:10",
        "media file 'media/pic.png' is a symbolic link loop",
    ),
    "media-link-to-device": (
        lambda r: (r / "media" / "pic.png").unlink() or os.symlink("/dev/zero", r / "media" / "pic.png"),
        "modules/m1.yaml:10",
        "points outside the course folder (through a link)",
    ),
    "media-fifo": (
        lambda r: (r / "media" / "pic.png").unlink() or _fifo(r / "media" / "pic.png"),
        "modules/m1.yaml:10",
        "is not a regular file (a device, FIFO or socket)",
    ),
    "media-dangling-link": (
        lambda r: (r / "media" / "pic.png").unlink() or os.symlink("gone.png", r / "media" / "pic.png"),
        "modules/m1.yaml:10",
        "cannot be read (a dangling link?)",
    ),
    "module-file-is-fifo": (
        lambda r: (r / "modules" / "m1.yaml").unlink() or _fifo(r / "modules" / "m1.yaml"),
        "modules/m1.yaml",
        "is not a regular file (a device, FIFO or socket)",
    ),
    "course-yaml-link-out": (
        lambda r: (r / "course.yaml").unlink() or os.symlink("/etc/hostname", r / "course.yaml"),
        "course.yaml",
        "file is a link leading outside the course folder",
    ),
    "media-name-with-space": (
        lambda r: _use_media(r, "my pic.png", PNG, "'media/my pic.png'"),
        "modules/m1.yaml:10",
        "media path 'media/my pic.png' must be relative, with only A-Za-z0-9._-/",
    ),
    "media-name-non-ascii": (
        lambda r: _use_media(r, "été.png", PNG, "media/été.png"),
        "modules/m1.yaml:10",
        "media path 'media/été.png' must be relative, with only A-Za-z0-9._-/",
    ),
    "svg-with-script": (
        lambda r: _use_media(r, "a.svg", SVG_SCRIPT, "media/a.svg"),
        "modules/m1.yaml:10",
        "SVG holds a <script> element",
    ),
    "svg-with-onload": (
        lambda r: _use_media(r, "a.svg", SVG_ONLOAD, "media/a.svg"),
        "modules/m1.yaml:10",
        "SVG has an event handler attribute 'onload'",
    ),
    "svg-with-external-image": (
        lambda r: _use_media(r, "a.svg", SVG_EXTERNAL, "media/a.svg"),
        "modules/m1.yaml:10",
        "SVG references an external resource ('https://tracker.example.net/pixel.png')",
    ),
    "svg-with-foreign-object": (
        lambda r: _use_media(r, "a.svg", SVG_FOREIGN, "media/a.svg"),
        "modules/m1.yaml:10",
        "SVG holds a <foreignObject> element",
    ),
    "html-as-image": (
        lambda r: _use_media(r, "page.html", b"<script>alert(1)</script>", "media/page.html"),
        "modules/m1.yaml:10",
        "'media/page.html' is active content",
    ),
    "theme-jinja-syntax-error": (
        lambda r: _theme(r, index="<html>\n{% if data %}\n{{ data }\n"),
        "themes/default/templates/index.html.j2:3",
        "template syntax error: unexpected '}'",
    ),
    "theme-yaml-not-a-mapping": (
        lambda r: _theme(r, yaml="- css\n- strings\n"),
        "themes/default/theme.yaml:1",
        "theme.yaml must be a mapping",
    ),
    "theme-stylesheet-missing": (
        lambda r: _theme(r, yaml="css: [brand.css]\n"),
        "themes/default/theme.yaml",
        "css file static/brand.css does not exist",
    ),
    "theme-static-name-with-space": (
        lambda r: (_theme(r) / "static" / "my logo.png").write_bytes(PNG),
        "themes/default/static/my logo.png",
        "theme file names may use only A-Za-z0-9._- and '/'",
    ),
    "theme-yaml-alias": (
        lambda r: _theme(r, yaml="a: &x [theme.css]\ncss: *x\n"),
        "themes/default/theme.yaml:1",
        "YAML anchors (&x) are not allowed",
    ),
    "theme-static-svg-script": (
        lambda r: (_theme(r) / "static" / "logo.svg").write_bytes(SVG_SCRIPT),
        "themes/default/static/logo.svg",
        "SVG holds a <script> element",
    ),
    "resume-state-overflow": (
        lambda r: (r / "modules" / "m1.yaml").write_text(_reflections(45)),
        "modules/m1.yaml:1",
        "module 'm1': worst-case resume state",
    ),
    "quiz-too-many-choices": (
        _wide_quiz,
        "modules/m1.yaml:1",
        "question 'x0' of quiz 'q1' has 31 choices (at most 30)",
    ),
}

# Sources that are legal however odd: build and validate succeed, promptly, reading nothing they must not.
LEGAL_SOURCES: dict[str, Callable[[Path], object]] = {
    "unused-fifo": lambda r: _fifo(r / "media" / "spare.fifo"),
    "unused-link-to-device": lambda r: os.symlink("/dev/zero", r / "media" / "zero.bin"),
    "unused-link-to-random": lambda r: os.symlink("/dev/urandom", r / "notes.txt"),
    "unused-symlink-loop": lambda r: os.symlink("loop", r / "loop") or os.symlink(".", r / "media" / "self"),
    "unused-socket": lambda r: _unix_socket(r / "media" / "s.sock"),
    "unused-link-out-of-source": lambda r: os.symlink("/etc", r / "etc"),
    "clean-svg": lambda r: _use_media(r, "a.svg", SVG_CLEAN, "media/a.svg"),
}


# --- packages ---------------------------------------------------------------------------------------------


def _replace(files: dict[str, bytes], name: str, old: bytes, new: bytes) -> dict[str, bytes]:
    assert old in files[name], (name, old)
    return {**files, name: files[name].replace(old, new)}


def _scorm(**changes: bytes) -> bytes:
    return zip_of({**scorm12_files(), **changes})


def _ours(payload: bytes) -> bytes:
    """Return a SCORM 1.2 package that claims to be ours, with this ece-data.js."""
    return zip_of({**scorm12_files(), "ece-data.js": payload})


def _deep_json(depth: int) -> bytes:
    return b'window.ECE_DATA = {"format":"scorm12","deep":' + b"[" * depth + b"]" * depth + b"};\n"


def _local_entry(name: bytes, data: bytes, declared: int, crc: int, method: int = 8) -> tuple[bytes, bytes]:
    """Return (local header + data, central record) of one entry at offset 0, with chosen size claims."""
    local = (
        struct.pack(
            "<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, len(data), declared, len(name), 0
        )
        + name
        + data
    )
    central = (
        struct.pack(
            "<4sHHHHHHIIIHHHHHII",
            b"PK\x01\x02",
            20,
            20,
            0,
            method,
            0,
            0x21,
            crc,
            len(data),
            declared,
            len(name),
            0,
            0,
            0,
            0,
            0,
            0,
        )
        + name
    )
    return local, central


def raw_zip(entries: list[tuple[bytes, bytes, int, int, int]], disk: int = 0) -> bytes:
    """Return a zip written byte by byte: (name, stored bytes, declared size, crc, method) per entry."""
    body, directory = b"", b""
    for name, data, declared, crc, method in entries:
        local, central = _local_entry(name, data, declared, crc, method)
        central = central[:42] + struct.pack("<I", len(body)) + central[46:]
        body += local
        directory += central
    n = len(entries)
    eocd = struct.pack("<4sHHHHIIH", b"PK\x05\x06", disk, disk, n, n, len(directory), len(body), 0)
    return body + directory + eocd


def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def _overlong() -> bytes:
    """Return a zip whose entry inflates to 2 MB while its header (and CRC) claim its first 1,000 bytes."""
    data = b"A" * (2 * 1024 * 1024)
    files = [(n.encode(), d, len(d), zlib.crc32(d), 0) for n, d in scorm12_files().items()]
    files.append((b"media/big.txt", _deflate(data), 1000, zlib.crc32(data[:1000]), 8))
    return raw_zip(files)


def _truncated_entry() -> bytes:
    data = os.urandom(4096)
    files = [(n.encode(), d, len(d), zlib.crc32(d), 0) for n, d in scorm12_files().items()]
    packed = _deflate(data)
    files.append((b"media/cut.bin", packed[: len(packed) // 2], 4096, zlib.crc32(data), 8))
    return raw_zip(files)


def _bad_crc() -> bytes:
    files = [(n.encode(), d, len(d), zlib.crc32(d), 0) for n, d in scorm12_files().items()]
    files.append((b"media/x.txt", b"hello", 5, 12345, 0))
    return raw_zip(files)


def _multi_disk() -> bytes:
    files = [(n.encode(), d, len(d), zlib.crc32(d), 0) for n, d in scorm12_files().items()]
    return raw_zip(files, disk=1)


def _nul_name() -> bytes:
    files = [(n.encode(), d, len(d), zlib.crc32(d), 0) for n, d in scorm12_files().items()]
    files.append((b"media/ok.png\x00../../evil.sh", b"x", 1, zlib.crc32(b"x"), 0))
    return raw_zip(files)


def _cmi5_url(url: str) -> bytes:
    manifest = CMI5.format(au_id="https://example.org/c/m1", mastery="", url=url).encode()
    return zip_of({"cmi5.xml": manifest, "m1/index.html": INDEX, "m1/player.js": PLAYER})


def _tincan_launch(href: str) -> bytes:
    from tests.support.bad_packages import TC_LAUNCH, TC_PAGE

    launch = TC_LAUNCH.replace("index.html", href)
    assert launch != TC_LAUNCH
    return zip_of(
        {
            "tincan.xml": TINCAN.format(before="", activities=launch + TC_PAGE).encode(),
            "index.html": INDEX,
            "player.js": PLAYER,
        }
    )


def _html_page(body: bytes) -> bytes:
    return _scorm(**{"index.html": INDEX.replace(b"<main>", b"<main>" + body)})


def _utf16_secret() -> bytes:
    config = '{\n  "endpoint": "https://lrs.example.org/xAPI/",\n  "password": "Tr0ub4dor&3x"\n}\n'
    return _scorm(**{"config.json": b"\xff\xfe" + config.encode("utf-16-le")})


def _data_uri_secret() -> bytes:
    script = base64.b64encode(b'var lrs = {user: "learner"}; var password = "s3cr3t-Pa55";\n')
    return _html_page(b'<script src="data:text/javascript;base64,' + script + b'"></script>')


# A package case: (build the zip, the entry named by the finding, the message words).
PACKAGE_CASES: dict[str, tuple[Callable[[], bytes], str, str]] = {
    "manifest-href-host-placeholder": (
        lambda: zip_of(
            _replace(
                scorm12_files(),
                "imsmanifest.xml",
                b'<file href="player.js"/>',
                b'<file href="http://[HOST]/player.js"/>',
            )
        ),
        "imsmanifest.xml",
        "'http://[HOST]/player.js' is not a valid URL",
    ),
    "manifest-href-broken-ipv6": (
        lambda: zip_of(
            _replace(
                scorm12_files(),
                "imsmanifest.xml",
                b'<file href="player.js"/>',
                b'<file href="https://[::1/player.js"/>',
            )
        ),
        "imsmanifest.xml",
        "'https://[::1/player.js' is not a valid URL",
    ),
    "script-src-host-placeholder": (
        lambda: zip_of(
            _replace(scorm12_files(), "index.html", b'src="player.js"', b'src="https://[HOST]/p.js"')
        ),
        "index.html",
        "'https://[HOST]/p.js' is not a valid URL",
    ),
    "img-src-broken-port": (
        lambda: _html_page(b'<img src="http://example.org:notaport/x.png" alt="">'),
        "index.html",
        "'http://example.org:notaport/x.png' is not a valid URL",
    ),
    "cmi5-au-url-host-placeholder": (
        lambda: _cmi5_url("https://[HOST]/m1/index.html"),
        "cmi5.xml",
        "url 'https://[HOST]/m1/index.html' is not a valid URL",
    ),
    "tincan-launch-broken-ipv6": (
        lambda: _tincan_launch("http://[::1/index.html"),
        "tincan.xml",
        "<launch> 'http://[::1/index.html' is not a valid URL",
    ),
    "ece-data-nan": (
        lambda: _ours(ece_data("scorm12", 100, 4096).replace(b'"worstCase":100', b'"worstCase":NaN')),
        "ece-data.js",
        "non-finite number NaN is not JSON",
    ),
    "ece-data-infinity": (
        lambda: _ours(ece_data("scorm12", 100, 4096).replace(b'"worstCase":100', b'"worstCase":1e999')),
        "ece-data.js",
        "number 1e999 is too large for a double",
    ),
    "ece-data-deep-nesting": (
        lambda: _ours(_deep_json(200_000)),
        "ece-data.js",
        "JSON nests more than 100 levels deep",
    ),
    "ece-data-worst-case-not-a-number": (
        lambda: _ours(ece_data("scorm12", 100, 4096).replace(b'"worstCase":100', b'"worstCase":"lots"')),
        "ece-data.js",
        "no readable stateBudget",
    ),
    "entry-inflates-beyond-declared-size": (
        _overlong,
        "media/big.txt",
        "inflates beyond the 1,000 bytes its header declares",
    ),
    "entry-truncated-stream": (_truncated_entry, "media/cut.bin", "entry cannot be read"),
    "entry-bad-crc": (_bad_crc, "media/x.txt", "CRC-32 does not match"),
    "end-record-multi-disk": (_multi_disk, "{zip}", "multi-disk (split) zip"),
    "entry-name-with-nul": (_nul_name, "media/ok.png", "contains a NUL character"),
    "credentials-btoa": (
        lambda: _scorm(**{"player.js": PLAYER + b'var auth = "Basic " + btoa("learner:hunter22");\n'}),
        "player.js",
        'btoa("user:password") credential',
    ),
    "credentials-base64-literal": (
        lambda: _scorm(
            **{"player.js": PLAYER + b'var token = "' + base64.b64encode(b"lrsuser:Secr3tPass") + b'";\n'}
        ),
        "player.js",
        "base64-encoded user:password",
    ),
    "credentials-utf16-json": (_utf16_secret, "config.json", "a password assignment"),
    "credentials-in-data-uri": (_data_uri_secret, "index.html", "inside a base64 data: URI"),
    "svg-with-script-in-package": (
        lambda: _scorm(**{"media/logo.svg": SVG_SCRIPT}),
        "media/logo.svg",
        "SVG holds a <script> element",
    ),
}

# Packages built to cost time (crafted HTML) or memory (large but legal): bounded, no traceback.
QUADRATIC_HTML = {
    "unclosed-declarations": b"<!" * 400_000,
    "unclosed-end-tags": b"</" * 400_000,
    "unclosed-comments": b"<!--" * 250_000,
    "attribute-soup": b"<a " + b"x=" * 400_000,
    "nested-divs": b"<div>" * 200_000,
}


def large_legal_archive(path: Path, megabytes: int = 320) -> Path:
    """Write a legal SCORM 1.2 zip holding `megabytes` of incompressible media (stored), plus its pages."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for name, data in scorm12_files().items():
            zf.writestr(name, data)
        block = os.urandom(1024 * 1024)
        for i in range(megabytes // 8):
            with zf.open(f"media/clip{i:03d}.mp4", "w") as fh:
                for j in range(8):
                    fh.write(bytes([i & 0xFF, j]) + block[2:])
    return path


# --- Moodle downloads -------------------------------------------------------------------------------------

CSV_HEADER = "Name\tAttempt\tStarted on\tQuestion 1\tResponse 1\tResult 1\n"
CSV_ROW = "Ada\t1\t2026-01-05T10:00:00\tm1.q1\tc0\tcorrect\n"


def _xlsx(sheet: bytes, extra: dict[str, bytes] | None = None, compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    """Return a minimal workbook written by hand (no openpyxl), with this sheet XML."""
    parts = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
        b'2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b"spreadsheetml.sheet.main+"
        b'xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.'
        b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        b"</Relationships>",
        "xl/worksheets/sheet1.xml": sheet,
        **(extra or {}),
    }
    return zip_of(parts, compress=compress)


def _sheet(rows: list[list[str]], prolog: bytes = b"") -> bytes:
    cells = "".join(
        "<row>" + "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in row) + "</row>" for row in rows
    )
    return (
        b'<?xml version="1.0"?>' + prolog + b'<worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData>' + cells.encode() + b"</sheetData></worksheet>"
    )


GOOD_SHEET = _sheet([["Name", "Attempt", "Question 1", "Response 1"], ["Ada", "1", "m1.q1", "c0"]])


def _xlsx_lying_size() -> bytes:
    data = bytearray(_xlsx(GOOD_SHEET))
    # Make the sheet's central record claim 10 bytes: its stream then inflates beyond the declared size.
    at = data.rfind(b"PK\x01\x02", 0, data.rfind(b"xl/worksheets/sheet1.xml"))
    at = data.find(b"PK\x01\x02", at) if data[at + 46 : at + 70] != b"xl/worksheets/sheet1.xml" else at
    data[at + 24 : at + 28] = (10).to_bytes(4, "little")
    return bytes(data)


ENTITY_PROLOG = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
XXE_PROLOG = b'<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'

# A Moodle case: (the bytes of the download, its file suffix, the message words).
MOODLE_CASES: dict[str, tuple[Callable[[], bytes], str, str]] = {
    "xlsx-truncated": (lambda: _xlsx(GOOD_SHEET)[:700], ".xlsx", "not a readable .xlsx workbook"),
    "xlsx-lying-size": (_xlsx_lying_size, ".xlsx", "inflates beyond the 10 bytes its header declares"),
    "xlsx-entity-expansion": (
        lambda: _xlsx(_sheet([["Name"], ["&b;"]], ENTITY_PROLOG)),
        ".xlsx",
        "part xl/worksheets/sheet1.xml declares a DTD",
    ),
    "xlsx-external-entity": (
        lambda: _xlsx(_sheet([["Name"], ["&x;"]], XXE_PROLOG)),
        ".xlsx",
        "part xl/worksheets/sheet1.xml declares a DTD",
    ),
    "xlsx-no-workbook": (lambda: zip_of({"hello.txt": b"hi"}), ".xlsx", "not a readable .xlsx workbook"),
    "xlsx-damaged-sheet": (
        lambda: _xlsx(GOOD_SHEET.replace(b"</sheetData>", b"<row><c><v>")),
        ".xlsx",
        "not a readable .xlsx workbook",
    ),
    "xlsx-bad-crc": (
        lambda: _xlsx(GOOD_SHEET, compress=zipfile.ZIP_STORED).replace(b"Ada", b"Bob"),
        ".xlsx",
        "not a readable .xlsx workbook",
    ),
    "csv-interaction-number-5000-digits": (
        lambda: ("Name\tAttempt\tQuestion " + "9" * 5000 + "\tResponse 1\n" + CSV_ROW).encode(),
        ".csv",
        "tick 'Summary of question'",
    ),
    "csv-100k-columns": (
        lambda: ("Name\tAttempt\t" + "\t".join(f"Question {i}" for i in range(100_000)) + "\n").encode(),
        ".csv",
        "the header has 100,002 columns, more than 20,000",
    ),
    "csv-control-characters": (lambda: bytes(range(1, 32)) * 100, ".csv", "no 'Name' column"),
    "csv-field-beyond-limit": (
        lambda: (CSV_HEADER + 'Ada\t1\t"' + "x" * 200_000 + '"\n').encode(),
        ".csv",
        "malformed CSV",
    ),
    "csv-latin1": (lambda: (CSV_HEADER + "Zoé\t1\n").encode("latin-1"), ".csv", "not UTF-8 text"),
    "csv-empty": (lambda: b"", ".csv", "empty file"),
    "csv-header-only-binary": (lambda: os.urandom(64) + b"\xff\xfe\x00", ".csv", "not UTF-8 text"),
}


def write_moodle(path: Path, data: bytes) -> Path:
    """Write one download; return its path."""
    path.write_bytes(data)
    return path


def utf16_download(bom: bool = True) -> bytes:
    """Return a legal CSV download saved by Excel as UTF-16 ('Unicode text'), with or without its BOM."""
    return (b"\xff\xfe" if bom else b"") + (CSV_HEADER + CSV_ROW).encode("utf-16-le")


def xlsx_download() -> bytes:
    """Return a legal hand-written workbook."""
    return _xlsx(GOOD_SHEET)


# --- LRS answers ------------------------------------------------------------------------------------------


def statement(i: int, stored: str | None = None) -> dict:
    """Return one well-formed statement."""
    return {
        "id": f"00000000-0000-4000-8000-{i:012d}",
        "actor": {"mbox": "mailto:a@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
        "object": {"id": f"https://example.org/c/page/{i}"},
        "timestamp": "2026-01-01T00:00:00Z",
        "stored": stored or f"2026-01-01T00:{(9999 - i) // 60 % 60:02d}:{(9999 - i) % 60:02d}.000Z",
    }


def gzip_bomb(megabytes: int) -> bytes:
    """Return a gzip stream of `megabytes` MB of spaces (a few KB on the wire)."""
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b" " * (1024 * 1024)
    return b"".join(c.compress(block) for _ in range(megabytes)) + c.flush()


def zip_bytes_of(files: dict[str, bytes]) -> bytes:
    """Return a zip of these files (for the fuzzer's seeds)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()
