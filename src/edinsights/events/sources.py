"""Find the log files named on the command line: files, directories, globs and s3:// URLs.

Everything goes through fsspec, so a local path and an object-store prefix are listed the same
way. S3 credentials and the endpoint come from the usual AWS environment variables
(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_S3, AWS_REGION).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import fsspec
from fsspec.core import url_to_fs

GLOB_CHARACTERS = "*?["
# Files that are never tracking logs, even inside a log directory.
IGNORED_PREFIXES = (".",)


class SourceError(Exception):
    """A PATH argument that names nothing readable."""


@dataclass(frozen=True)
class SourceFile:
    url: str
    """Absolute local path, or a full URL such as s3://bucket/key."""
    size: int
    modified: str | None
    """mtime (local) or ETag/LastModified (object stores): together with size, what tells
    that a file changed since it was ingested."""


def storage_options(url: str) -> dict[str, Any]:
    """fsspec options for `url`; for S3 the endpoint comes from the environment.

    Listings are never cached: an object rewritten since the last listing must be seen with
    its new ETag, or s3fs reads it with the old one and the server refuses (412).
    """
    if not url.startswith("s3://"):
        return {}
    options: dict[str, Any] = {"use_listings_cache": False, "skip_instance_cache": True}
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    if endpoint:
        options["endpoint_url"] = endpoint
    return options


def open_source(url: str):  # type: ignore[no-untyped-def]
    """Open a source file for binary reading (decompression is done by the reader)."""
    if "://" not in url:
        return open(url, "rb")
    return fsspec.open(url, "rb", **storage_options(url)).open()


def find_sources(arguments: list[str]) -> list[SourceFile]:
    """Expand PATH arguments into the files they name, in a stable order, without repeats."""
    found: dict[str, SourceFile] = {}
    for argument in arguments:
        matches = _expand(argument)
        if not matches:
            raise SourceError(f"no log files found at {argument}")
        for source in matches:
            found.setdefault(source.url, source)
    return sorted(found.values(), key=lambda source: source.url)


def _expand(argument: str) -> list[SourceFile]:
    remote = "://" in argument
    location = argument if remote else os.path.abspath(os.path.expanduser(argument))
    fs, path = url_to_fs(location, **storage_options(location))
    if any(character in path for character in GLOB_CHARACTERS):
        infos = fs.glob(path, detail=True).values()
        listed = []
        for info in infos:
            if info["type"] == "directory":
                listed.extend(fs.find(info["name"], detail=True).values())
            else:
                listed.append(info)
    elif fs.isdir(path):
        listed = list(fs.find(path, detail=True).values())
    elif fs.exists(path):
        listed = [fs.info(path)]
    else:
        return []
    protocol = argument.split("://", 1)[0] + "://" if remote else ""
    sources = []
    for info in listed:
        name = info["name"]
        if info.get("islink") and not remote and os.path.isfile(name):
            # A symlink to a log file (log directories are often assembled from links).
            stat = os.stat(name)
            info = {**info, "type": "file", "size": stat.st_size, "mtime": stat.st_mtime}
        if info.get("type") != "file" or os.path.basename(name).startswith(IGNORED_PREFIXES):
            continue
        url = protocol + name if remote else name
        sources.append(SourceFile(url=url, size=int(info.get("size") or 0), modified=_modified(info)))
    return sources


def _modified(info: dict[str, Any]) -> str | None:
    for key in ("ETag", "etag", "mtime", "LastModified", "last_modified"):
        value = info.get(key)
        if value is not None:
            return str(value)
    return None
