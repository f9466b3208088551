"""The one Jinja2 Environment factory for theme templates, with compiled templates shared per process."""

from __future__ import annotations

import jinja2

from ece_scorm import themes


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Keep compiled templates for the process: a build renders 20 packages, each with a fresh Environment."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        # Jinja checks the bucket's source checksum, so an edited template is compiled again.
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


# Shared by every Environment below; they all use the same options, so compiled code is interchangeable.
_BYTECODE = _MemoryBytecodeCache()


def environment(theme: themes.Theme) -> jinja2.Environment:
    """Return the Jinja2 Environment for a theme: autoescape on, undefined names are errors."""
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(theme.templates))]
    default = next((p for p in themes.candidates(themes.DEFAULT, None) if (p / "templates").is_dir()), None)
    if default is not None and default != theme.root:
        # A theme may override only some templates; the rest come from the default theme.
        loaders.append(jinja2.FileSystemLoader(str(default / "templates")))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_BYTECODE,
    )
