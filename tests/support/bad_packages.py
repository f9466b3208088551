"""A corpus of broken and hostile packages, built from hand-written manifests (never by the code under test).

Each builder returns the bytes of one zip. `good_scorm12()` is the clean baseline every SCORM case mutates, so
that a case breaks exactly one thing. The expected finding of each case is written by hand in
tests/checks/test_bad_packages.py.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Callable

INDEX = b"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Course</title>
<script src="player.js"></script></head><body><main><h1>Course</h1></main></body></html>
"""
PLAYER = b"/* player */ var API = null; function start() { return 1; }\n"

SCORM12 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2" identifier="{manifest_id}" version="1">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>{version}</schemaversion>
  </metadata>
  <organizations default="{default}">
    <organization identifier="ORG-1">
      <title>{title}</title>
      <item identifier="{item_id}" identifierref="{ref}">
        <title>Module one</title>{item_extra}
      </item>{more_items}
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES-1" type="webcontent" href="{href}" {scormtype}>
      <file href="{href}"/>
      <file href="player.js"/>
    </resource>
  </resources>
</manifest>
"""
DEFAULTS = {
    "manifest_id": "MAN-1",
    "version": "1.2",
    "default": "ORG-1",
    "title": "A course",
    "item_id": "ITEM-1",
    "ref": "RES-1",
    "item_extra": "",
    "more_items": "",
    "href": "index.html",
    "scormtype": 'adlcp:scormtype="sco"',
}

SCORM2004 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
          xmlns:imsss="http://www.imsglobal.org/xsd/imsss" identifier="MAN-1">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="ORG-1">
    <organization identifier="ORG-1">
      <title>A course</title>
      <item identifier="ITEM-1" identifierref="RES-1">
        <title>Module one</title>{item_extra}
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES-1" type="webcontent" href="index.html" adlcp:scormType="sco">
      <file href="index.html"/>
      <file href="player.js"/>
    </resource>
  </resources>
</manifest>
"""

TINCAN = """<?xml version="1.0" encoding="UTF-8"?>
<tincan xmlns="http://projecttincan.com/tincan.xsd">
  {before}<activities>
    {activities}
  </activities>
</tincan>
"""
TC_LAUNCH = """<activity id="https://example.org/c/m1" type="http://adlnet.gov/expapi/activities/course">
      <name>Module one</name><description lang="en">One</description><launch lang="en">index.html</launch>
    </activity>"""
TC_PAGE = """<activity id="https://example.org/c/m1/page/p1" type="http://adlnet.gov/expapi/activities/lesson">
      <name>Page one</name>
    </activity>"""

CMI5 = """<?xml version="1.0" encoding="UTF-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://example.org/c">
    <title><langstring lang="en">Course</langstring></title>
    <description><langstring lang="en">About</langstring></description>
  </course>
  <au id="{au_id}" moveOn="Completed" {mastery}>
    <title><langstring lang="en">Module one</langstring></title>
    <description><langstring lang="en">One</langstring></description>
    <url>{url}</url>
  </au>
</courseStructure>
"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE manifest [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<manifest identifier="MAN-1"><metadata><schemaversion>&lol9;</schemaversion></metadata></manifest>
"""


def xxe_manifest(secret_path: str) -> bytes:
    """Return a manifest whose title would pull a local file in through an external entity."""
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE manifest [<!ENTITY xxe SYSTEM "file://{secret_path}">]>\n'
        + SCORM12.split("\n", 1)[1].format(**{**DEFAULTS, "title": "&xxe;"})
    ).encode()


def zip_of(
    files: dict[str, bytes] | list[tuple[str, bytes]], *, compress: int = zipfile.ZIP_DEFLATED
) -> bytes:
    """Return a zip holding these entries in this order (duplicates allowed when given as a list)."""
    buf = io.BytesIO()
    items = files.items() if isinstance(files, dict) else files
    with zipfile.ZipFile(buf, "w", compress) as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "Duplicate name": wanted by the duplicate-entry case
        for name, data in items:
            info = zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0))
            info.compress_type = compress
            zf.writestr(info, data)
    return buf.getvalue()


def scorm12_manifest(**changes: str) -> bytes:
    """Return the baseline SCORM 1.2 manifest with some placeholders changed."""
    return SCORM12.format(**{**DEFAULTS, **changes}).encode()


def scorm12_files(**changes: str) -> dict[str, bytes]:
    """Return the baseline package's files with a changed manifest."""
    return {"imsmanifest.xml": scorm12_manifest(**changes), "index.html": INDEX, "player.js": PLAYER}


def good_scorm12() -> bytes:
    """Return a clean SCORM 1.2 package."""
    return zip_of(scorm12_files())


def with_file(name: str, data: bytes, **changes: str) -> bytes:
    """Return the baseline package plus one file."""
    return zip_of({**scorm12_files(**changes), name: data})


def ece_data(fmt: str, worst: int, limit: int | None) -> bytes:
    """Return an ece-data.js as our renderer writes it, with a chosen state budget."""
    lim = "null" if limit is None else str(limit)
    return (
        f'window.ECE_DATA = {{"format":"{fmt}","module":{{"id":"m1"}},'
        f'"stateBudget":{{"limit":{lim},"textMax":255,"worstCase":{worst}}}}};\n'
    ).encode()


def _manifest_replaced(old: bytes, new: bytes, **changes: str) -> bytes:
    files = scorm12_files(**changes)
    assert old in files["imsmanifest.xml"], old
    files["imsmanifest.xml"] = files["imsmanifest.xml"].replace(old, new)
    return zip_of(files)


def _tincan(before: str = "", activities: str = TC_LAUNCH + TC_PAGE) -> bytes:
    tincan = TINCAN.format(before=before, activities=activities).encode()
    return zip_of({"tincan.xml": tincan, "index.html": INDEX, "player.js": PLAYER})


def _cmi5(au_id: str = "https://example.org/c/m1", mastery: str = "", url: str = "m1/index.html") -> bytes:
    return zip_of(
        {
            "cmi5.xml": CMI5.format(au_id=au_id, mastery=mastery, url=url).encode(),
            "m1/index.html": INDEX,
            "m1/player.js": PLAYER,
        }
    )


def _corrupt_deflate() -> bytes:
    data = bytearray(zip_of(scorm12_files()))
    # Flip bytes inside index.html's compressed stream (after its local header) so the CRC cannot match.
    at = data.find(b"index.html") + len(b"index.html") + 5
    for i in range(at, at + 8):
        data[i] ^= 0xFF
    return bytes(data)


def _symlink() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in scorm12_files().items():
            zf.writestr(name, data)
        link = zipfile.ZipInfo("media/passwd")
        link.external_attr = 0o120777 << 16  # S_IFLNK: the entry's data is the link target
        zf.writestr(link, "/etc/passwd")
    return buf.getvalue()


def _too_many(n: int = 10_001) -> bytes:
    files = scorm12_files()
    files.update({f"media/f{i:05d}.txt": b"" for i in range(n)})
    return zip_of(files, compress=zipfile.ZIP_STORED)


def _prefixed() -> bytes:
    """Return a package whose <organizations> element carries an IMS CP prefix (Moodle matches literal "
    "names)."""
    files = scorm12_files()
    files["imsmanifest.xml"] = (
        files["imsmanifest.xml"]
        .replace(
            b"<organizations ",
            b'<cp:organizations xmlns:cp="http://www.imsproject.org/xsd/imscp_rootv1p1p2" ',
        )
        .replace(b"</organizations>", b"</cp:organizations>")
    )
    return zip_of(files)


CASES: dict[str, Callable[[], bytes]] = {
    "wrapper-folder": lambda: zip_of({f"course/{k}": v for k, v in scorm12_files().items()}),
    "missing-manifest": lambda: zip_of({"index.html": INDEX, "player.js": PLAYER}),
    "manifest-upper-case": lambda: zip_of(
        {"IMSManifest.xml": scorm12_manifest(), "index.html": INDEX, "player.js": PLAYER}
    ),
    "wrong-schemaversion": lambda: zip_of(scorm12_files(version="1.3")),
    "schemaversion-whitespace": lambda: zip_of(scorm12_files(version="\n      1.2\n    ")),
    "numeric-character-reference": lambda: zip_of(scorm12_files(title="&#169; ECE")),
    "missing-resource": lambda: zip_of(scorm12_files(ref="RES-GONE")),
    "asset-typed-sco": lambda: zip_of(scorm12_files(scormtype='adlcp:scormtype="asset"')),
    "scormtype-missing": lambda: zip_of(scorm12_files(scormtype="")),
    "default-org-missing": lambda: zip_of(scorm12_files(default="ORG-NOPE")),
    "duplicate-identifiers": lambda: zip_of(
        scorm12_files(
            more_items='\n      <item identifier="ITEM-1" identifierref="RES-1"><title>Again</title></item>'
        )
    ),
    "identifier-with-quote": lambda: zip_of(scorm12_files(item_id="ITEM&quot;1")),
    "item-without-title": lambda: _manifest_replaced(b"<title>Module one</title>", b""),
    "prefixed-cp-element": lambda: _prefixed(),
    "masteryscore-out-of-range": lambda: zip_of(
        scorm12_files(item_extra="\n        <adlcp:masteryscore>150</adlcp:masteryscore>")
    ),
    "namespace-version-mismatch": lambda: zip_of(scorm12_files(version="2004 4th Edition")),
    "backslash-path": lambda: with_file("media\\logo.png", b"\x89PNG\r\n\x1a\n"),
    "absolute-path": lambda: with_file("/etc/cron.d/evil", b"* * * * * root true\n"),
    "zip-slip": lambda: with_file("../../home/user/.bashrc", b"echo pwned\n"),
    "bomb-high-ratio": lambda: with_file("media/huge.txt", b"\0" * (20 * 1024 * 1024)),
    "too-many-entries": _too_many,
    "billion-laughs": lambda: zip_of({"imsmanifest.xml": BILLION_LAUGHS, "index.html": INDEX}),
    "credentials-basic-auth": lambda: with_file(
        "lrs.js", b'var headers = {"Authorization": "Basic ZWNlLWFkbWluOnMzY3JldC1wYXNz"};\n'
    ),
    "credentials-aws-key": lambda: with_file("config.json", b'{"accessKeyId": "AKIAIOSFODNN7EXAMPLE"}\n'),
    "credentials-private-key": lambda: with_file(
        "key.pem",
        b"-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn\n-----END RSA PRIVATE KEY-----\n",
    ),
    "credentials-password": lambda: with_file(
        "settings.ini", b"[lrs]\nuser = admin\npassword=Hunter2Secret\n"
    ),
    "credentials-bearer": lambda: with_file(
        "player2.js",
        b'fetch(u, {headers: {Authorization: "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc"}});',
    ),
    "macosx-folder": lambda: with_file("__MACOSX/._index.html", b"\0\x05\x16\x07"),
    "ds-store": lambda: with_file(".DS_Store", b"\0\0\0\1Bud1"),
    "thumbs-db": lambda: with_file("media/Thumbs.db", b"\xd0\xcf\x11\xe0"),
    "wrong-case-href": lambda: zip_of(
        {"imsmanifest.xml": scorm12_manifest(href="Index.html"), "index.html": INDEX, "player.js": PLAYER}
    ),
    "referenced-file-absent": lambda: zip_of({"imsmanifest.xml": scorm12_manifest(), "index.html": INDEX}),
    "unreferenced-file": lambda: with_file("notes/draft.txt", b"old draft\n"),
    "root-relative-url": lambda: zip_of(
        {**scorm12_files(), "index.html": INDEX.replace(b'src="player.js"', b'src="/player.js"')}
    ),
    "html-link-wrong-case": lambda: zip_of(
        {**scorm12_files(), "index.html": INDEX.replace(b'src="player.js"', b'src="Player.js"')}
    ),
    "html-link-missing": lambda: zip_of(
        {
            **scorm12_files(),
            "index.html": INDEX.replace(b"</head>", b'<link rel="stylesheet" href="css/theme.css"></head>'),
        }
    ),
    "not-a-zip": lambda: b"This is a text file renamed to .zip, not an archive.\n" * 10,
    "truncated-zip": lambda: good_scorm12()[:-40],
    "corrupt-deflate": _corrupt_deflate,
    "duplicate-entry": lambda: zip_of([*scorm12_files().items(), ("index.html", b"<p>second copy</p>")]),
    "binary-garbage-manifest": lambda: zip_of(
        {"imsmanifest.xml": bytes(range(256)) * 8, "index.html": INDEX}
    ),
    "utf16-manifest": lambda: zip_of(
        {
            "imsmanifest.xml": scorm12_manifest()
            .decode()
            .replace('encoding="UTF-8"', 'encoding="UTF-16"')
            .encode("utf-16"),
            "index.html": INDEX,
            "player.js": PLAYER,
        }
    ),
    "malformed-xml": lambda: _manifest_replaced(b"</organizations>", b"</organisations>"),
    "scorm2004-data-from-lms": lambda: zip_of(
        {
            "imsmanifest.xml": SCORM2004.format(
                item_extra="\n        <adlcp:dataFromLMS>mode=1</adlcp:dataFromLMS>"
            ).encode(),
            "index.html": INDEX,
            "player.js": PLAYER,
        }
    ),
    "tincan-launch-not-first": lambda: _tincan(activities=TC_PAGE + TC_LAUNCH),
    "tincan-activities-not-first": lambda: _tincan(before="<description>x</description>\n  "),
    "tincan-relative-activity-id": lambda: _tincan(
        activities=TC_LAUNCH.replace("https://example.org/c/m1", "m1")
    ),
    "cmi5-relative-id": lambda: _cmi5(au_id="module-one"),
    "cmi5-mastery-above-one": lambda: _cmi5(mastery='masteryScore="80"'),
    "cmi5-reserved-launch-parameter": lambda: _cmi5(url="m1/index.html?endpoint=https://lrs.example.org"),
    "cmi5-entity-declaration": lambda: zip_of(
        {
            "cmi5.xml": b'<?xml version="1.0"?>\n<!DOCTYPE courseStructure '
            b'[<!ENTITY t "Course">]>\n'
            + CMI5.split("\n", 1)[1]
            .format(au_id="https://example.org/c/m1", mastery="", url="m1/index.html")
            .encode(),
            "m1/index.html": INDEX,
        }
    ),
    "external-entity-xxe": lambda: zip_of(
        {"imsmanifest.xml": xxe_manifest("/etc/hostname"), "index.html": INDEX, "player.js": PLAYER}
    ),
    "symlink-entry": _symlink,
    "credentials-password-in-js": lambda: with_file(
        "app.js", b'login({user: e.user, password: e.value}); var password = "Tr0ub4dor&3";\n'
    ),
    "ours-state-over-budget": lambda: with_file("ece-data.js", ece_data("scorm12", 5000, 4096)),
}
