"""Find the log files named on the command line: files, directories, globs and s3:// URLs.

Everything goes through fsspec, so a local path and an object-store prefix are listed the same
way. S3 credentials and the endpoint come from the usual AWS environment variables
(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_S3, AWS_REGION).
"""

from __future__ import annotations

import errno
import glob
import os
import stat
from dataclasses import dataclass, field
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


@dataclass
class Listing:
    """What PATH arguments name: the log files, and what could not be listed or is no log file."""

    files: list[SourceFile] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    """Inputs that cannot be read ({"file", "error"}): an unreadable directory (what is below it
    is unknown), a broken symbolic link, a symbolic-link loop. The run reports them and fails."""
    skipped: list[dict[str, str]] = field(default_factory=list)
    """Inputs passed over ({"file", "reason"}): FIFOs, sockets and devices (never opened, so a
    FIFO cannot block the run), a directory link back to a directory being searched."""


def find_sources(arguments: list[str]) -> list[SourceFile]:
    """Expand PATH arguments into the files they name, in a stable order, without repeats."""
    return find_inputs(arguments).files


def find_inputs(arguments: list[str]) -> Listing:
    """The files PATH arguments name (sorted, without repeats), with the inputs that are not."""
    listing = Listing()
    found: dict[str, SourceFile] = {}
    for argument in arguments:
        part = _expand(argument) if "://" in argument else _expand_local(argument)
        if not part.files and not part.failed and not part.skipped:
            raise SourceError(f"no log files found at {argument}")
        for source in part.files:
            found.setdefault(source.url, source)
        for kind in ("failed", "skipped"):
            known = {entry["file"] for entry in getattr(listing, kind)}
            getattr(listing, kind).extend(
                entry for entry in getattr(part, kind) if entry["file"] not in known
            )
    listing.files = sorted(found.values(), key=lambda source: source.url)
    return listing


def _expand_local(argument: str) -> Listing:
    """A local file, directory (searched recursively, following links) or glob.

    os.scandir rather than fsspec's find, which passes over what it cannot read without a word.
    """
    listing = Listing()
    location = os.path.abspath(os.path.expanduser(argument))
    if any(character in location for character in GLOB_CHARACTERS):
        matches = sorted(glob.glob(location))
    else:
        matches = [location] if os.path.lexists(location) else []
    for match in matches:
        _walk(match, {}, listing)
    return listing


def _walk(path: str, ancestors: dict[tuple[int, int], str], listing: Listing) -> None:
    hidden = os.path.basename(path).startswith(IGNORED_PREFIXES)
    try:
        status = os.stat(path)  # follows links; opens nothing, so a FIFO cannot block
    except OSError as error:
        if not hidden:
            listing.failed.append({"file": path, "error": _stat_error(path, error)})
        return
    if stat.S_ISDIR(status.st_mode):
        directory = (status.st_dev, status.st_ino)
        if directory in ancestors:
            reason = f"directory link loop: leads back to {ancestors[directory]}, already being searched"
            listing.skipped.append({"file": path, "reason": reason})
            return
        try:
            with os.scandir(path) as entries:
                names = sorted(entry.name for entry in entries)
        except OSError as error:
            message = f"unreadable directory ({error.strerror}): the files below it were not read"
            listing.failed.append({"file": path, "error": message})
            return
        inner = {**ancestors, directory: path}
        for name in names:
            _walk(os.path.join(path, name), inner, listing)
    elif hidden:
        return
    elif stat.S_ISREG(status.st_mode):
        # str(st_mtime): the same `modified` as fsspec recorded, so manifests stay valid.
        listing.files.append(SourceFile(url=path, size=status.st_size, modified=str(status.st_mtime)))
    else:
        listing.skipped.append({"file": path, "reason": f"not a regular file ({_kind(status.st_mode)})"})


def _stat_error(path: str, error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "symbolic link loop"
    if error.errno == errno.ENOENT and os.path.islink(path):
        return f"broken symbolic link (its target {os.readlink(path)} does not exist)"
    return f"{type(error).__name__}: {error.strerror}"


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return name
    return "an unknown kind of file"


def _expand(argument: str) -> Listing:
    """An object-store URL: a key, a prefix or a glob, through fsspec."""
    location = argument
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
        return Listing()
    protocol = argument.split("://", 1)[0] + "://"
    sources = []
    for info in listed:
        name = info["name"]
        if info.get("type") != "file" or os.path.basename(name).startswith(IGNORED_PREFIXES):
            continue
        sources.append(
            SourceFile(url=protocol + name, size=int(info.get("size") or 0), modified=_modified(info))
        )
    return Listing(files=sources)


def _modified(info: dict[str, Any]) -> str | None:
    for key in ("ETag", "etag", "mtime", "LastModified", "last_modified"):
        value = info.get(key)
        if value is not None:
            return str(value)
    return None
