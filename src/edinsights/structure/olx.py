"""Course exports (OLX) → a CourseStructure: a .tar.gz export or an unpacked directory.

An export holds `course.xml` (normally a pointer, `<course url_name=R org=O course=C/>`, to
`course/R.xml`), one directory per block type (`chapter/`, `sequential/`, `vertical/`,
`problem/`, `video/`, `html/`, `library_content/`, any XBlock's type) with `<url_name>.xml` files,
and `policies/R/policy.json` and `grading_policy.json`. A child element with `url_name` as its
only attribute and no content is a pointer to `<type>/<url_name>.xml`; any other child element
is the block itself, defined inline (its `url_name` attribute, or a name derived from its place).
Only container blocks (course, chapter, sequential, vertical, library_content, …) have child
blocks: what a problem or video element contains is its content. Every `<type>/*.xml` file that
no reachable block points at is a block too (an orphan), as the LMS's Blocks API lists them.

Hostile input: XML is parsed with defusedxml (no entities, no external references); a tarball's
members are read into memory, never extracted, and one with an absolute path, a `..` part, a
link leading outside the export, or beyond the size caps is refused; in a directory, a link that
leads outside it is refused. Any such problem, or a malformed file, is a StructureError whose one
line names the course (or the export) and the file.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
import tarfile
import xml.etree.ElementTree as ElementTree
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import defusedxml.ElementTree as SafeElementTree
from defusedxml import DefusedXmlException
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from edinsights.structure.model import (
    Block,
    CourseInfo,
    CourseStructure,
    GraderEntry,
    StructureError,
    parse_datetime,
)
from edinsights.structure.traversal import inherit

MAX_FILE_BYTES = 16 * 1024 * 1024
"""One XML or JSON file of an export (the demo course's largest is under 100 KB)."""
MAX_EXPORT_BYTES = 2 * 1024 * 1024 * 1024
"""What a tarball may hold in the files the reader keeps (XML and JSON), uncompressed."""
MAX_MEMBERS = 500_000
MAX_ARCHIVE_BYTES = 64 * 1024**3
"""Everything a tarball's members hold, read or skipped (static assets included): a bound on
the decompressing a small hostile gzip file can demand."""

CONTAINER_TYPES = frozenset(
    {
        "course",
        "chapter",
        "sequential",
        "vertical",
        "library_content",
        "split_test",
        "conditional",
        "randomize",
        "unit",
        "itembank",
    }
)
"""Block types whose child elements are child blocks (for any other type they are content)."""
NOT_BLOCKS = frozenset({"wiki", "textbook"})
"""Child elements of a course that are settings, not blocks."""
NOT_BLOCK_DIRECTORIES = frozenset(
    {"about", "info", "static", "policies", "assets", "tabs", "drafts", "course", "custom_tags"}
)
"""Top-level directories of an export that hold no courseware blocks (drafts are unpublished)."""


class _Files:
    """The export's files by relative POSIX path (XML and JSON only: static assets are not read)."""

    def __init__(self, label: str, files: dict[str, bytes]) -> None:
        self.label = label
        self.files = files

    def read(self, path: str) -> bytes | None:
        return self.files.get(path)

    def xml_files(self, directory: str) -> Iterator[str]:
        prefix = f"{directory}/"
        for path in sorted(self.files):
            if path.startswith(prefix) and path.endswith(".xml") and "/" not in path[len(prefix) :]:
                yield path

    def directories(self) -> list[str]:
        return sorted({path.split("/", 1)[0] for path in self.files if "/" in path})


def _wanted(path: str) -> bool:
    return path.endswith((".xml", ".json"))


def _from_tarball(path: Path) -> _Files:
    """One pass over the (compressed) tarball, each wanted file read as it comes: reading them
    after the listing would seek back, which in a gzip stream means decompressing again."""
    label = path.name
    files: dict[str, bytes] = {}
    links: dict[str, tuple[bool, str]] = {}  # name -> (symbolic, link target)
    total = everything = 0
    try:
        with tarfile.open(path, "r:*") as archive:
            for count, member in enumerate(archive, start=1):
                if count > MAX_MEMBERS:
                    raise StructureError(f"{label}: more than {MAX_MEMBERS:,} files in the export")
                name = _safe_member_path(label, member.name)
                everything += member.size
                if everything > MAX_ARCHIVE_BYTES:
                    raise StructureError(
                        f"{label}: the export holds more than {MAX_ARCHIVE_BYTES // 2**30} GiB"
                    )
                if member.issym() or member.islnk():
                    links[name] = (member.issym(), member.linkname)
                    continue
                if not member.isfile() or not _wanted(name):
                    continue
                if member.size > MAX_FILE_BYTES:
                    raise StructureError(f"{label}: {name} is larger than {MAX_FILE_BYTES // 2**20} MiB")
                total += member.size
                if total > MAX_EXPORT_BYTES:
                    raise StructureError(
                        f"{label}: the export is larger than {MAX_EXPORT_BYTES // 2**30} GiB"
                    )
                handle = archive.extractfile(member)
                if handle is not None:
                    files[name] = handle.read(MAX_FILE_BYTES + 1)
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        cause = " ".join(str(error).split())  # tarfile's message spans lines
        raise StructureError(f"{label}: not a readable export tarball ({cause})") from error
    for name in links:
        # A link is followed inside the archive only; one leading out is refused, wanted or not.
        target, hops = name, 0
        while target in links:
            symbolic, linkname = links[target]
            base = posixpath.dirname(target) if symbolic else ""
            linked = posixpath.normpath(posixpath.join(base, linkname))
            if linkname.startswith("/") or linked.startswith("../") or linked == "..":
                raise StructureError(f"{label}: {name} links outside the export ({linkname})")
            target, hops = linked, hops + 1
            if hops > 10:
                raise StructureError(f"{label}: {name} is a chain of links too long to follow")
        if _wanted(name):
            if target not in files:
                raise StructureError(f"{label}: {name} is a link to nothing in the export")
            files[name] = files[target]
    return _rooted(label, files)


def _safe_member_path(label: str, name: str) -> str:
    if name.startswith("/") or PurePosixPath(name).is_absolute():
        raise StructureError(f"{label}: member {name} has an absolute path")
    parts = [part for part in PurePosixPath(name).parts if part not in {"", "."}]
    if ".." in parts:
        raise StructureError(f"{label}: member {name} leads outside the export (..)")
    return "/".join(parts)


def _from_directory(path: Path) -> _Files:
    label = str(path)
    # course.xml at the top or one directory down (an unpacked export's wrapper), before reading
    # anything: a directory that is no export fails at once.
    tops = [path, *(child for child in sorted(path.iterdir()) if child.is_dir())]
    top = next((candidate for candidate in tops if (candidate / "course.xml").is_file()), None)
    if top is None:
        raise StructureError(f"{label}: no course.xml in the export (nor in a directory just below it)")
    path = top
    root = path.resolve()
    files: dict[str, bytes] = {}
    total = 0
    for file in sorted(path.rglob("*")):
        relative = file.relative_to(path).as_posix()
        if not _wanted(relative) or any(part.startswith(".") for part in file.relative_to(path).parts):
            continue
        resolved = file.resolve()
        if not resolved.is_relative_to(root):
            raise StructureError(f"{label}: {relative} links outside the export")
        if not resolved.is_file():
            continue
        size = resolved.stat().st_size
        if size > MAX_FILE_BYTES:
            raise StructureError(f"{label}: {relative} is larger than {MAX_FILE_BYTES // 2**20} MiB")
        total += size
        if total > MAX_EXPORT_BYTES:
            raise StructureError(f"{label}: the export is larger than {MAX_EXPORT_BYTES // 2**30} GiB")
        files[relative] = resolved.read_bytes()
    return _rooted(label, files)


def _rooted(label: str, files: dict[str, bytes]) -> _Files:
    """The files below the directory holding the shallowest course.xml (exports wrap it in one)."""
    candidates = sorted((path for path in files if posixpath.basename(path) == "course.xml"), key=len)
    if not candidates:
        raise StructureError(f"{label}: no course.xml in the export")
    prefix = posixpath.dirname(candidates[0])
    if not prefix:
        return _Files(label, files)
    cut = len(prefix) + 1
    return _Files(label, {path[cut:]: data for path, data in files.items() if path.startswith(prefix + "/")})


def read_olx(path: str | Path, course_id: str | None = None) -> CourseStructure:
    """One course export (a .tar.gz file or a directory) → its structure, catalog and policy."""
    source = Path(path)
    if source.is_dir():
        files = _from_directory(source)
    elif source.is_file():
        files = _from_tarball(source)
    else:
        raise StructureError(f"{source}: no such export (a .tar.gz file or a directory)")
    return _Reader(files, course_id).read()


class _Reader:
    def __init__(self, files: _Files, course_id: str | None) -> None:
        self.files = files
        self.forced_course_id = course_id
        self.label = files.label
        self.blocks: dict[str, Block] = {}
        self.loaded: set[tuple[str, str]] = set()
        self.policy: dict[str, dict[str, object]] = {}
        self.policy_names: dict[tuple[str, str], str] = {}

    def fail(self, file: str, cause: str) -> StructureError:
        return StructureError(f"{self.label}: {file}: {cause}")

    def parse(self, file: str) -> ElementTree.Element:
        data = self.files.read(file)
        if data is None:
            raise self.fail(file, "missing from the export")
        if len(data) > MAX_FILE_BYTES:
            raise self.fail(file, f"larger than {MAX_FILE_BYTES // 2**20} MiB")
        try:
            return SafeElementTree.fromstring(data, forbid_dtd=True)
        except DefusedXmlException as error:
            raise self.fail(file, f"refused XML ({type(error).__name__}: entities or DTDs)") from error
        except ElementTree.ParseError as error:
            raise self.fail(file, f"malformed XML ({error})") from error

    def json(self, file: str) -> object:
        data = self.files.read(file)
        if data is None:
            return None
        try:
            return json.loads(data)
        except ValueError as error:
            raise self.fail(file, f"malformed JSON ({error})") from error

    def read(self) -> CourseStructure:
        pointer = self.parse("course.xml")
        if pointer.tag != "course":
            raise self.fail("course.xml", f"the root element is <{pointer.tag}>, not <course>")
        url_name = pointer.get("url_name")
        org, number = pointer.get("org"), pointer.get("course")
        if not (url_name and org and number):
            raise self.fail("course.xml", "<course> needs url_name, org and course attributes")
        course_file = "course.xml"
        definition = pointer
        if len(pointer) == 0:
            course_file = f"course/{url_name}.xml"
            definition = self.parse(course_file)
        course_id = self.forced_course_id or f"course-v1:{org}+{number}+{url_name}"
        try:
            self.course_key = CourseKey.from_string(course_id)
        except InvalidKeyError as error:
            raise StructureError(f"{course_id}: not a valid course key") from error
        self.label = f"{course_id} ({self.files.label})"
        probe = str(self.course_key.make_usage_key("edinsightsprobetype", "edinsightsprobename"))
        self.key_template = probe.replace("edinsightsprobetype", "TYPE\x00").replace(
            "edinsightsprobename", "NAME\x00"
        )
        policy = self.json(f"policies/{url_name}/policy.json")
        if policy is not None and not isinstance(policy, dict):
            raise self.fail(f"policies/{url_name}/policy.json", "not a JSON object")
        self.policy = {key: value for key, value in (policy or {}).items() if isinstance(value, dict)}
        # The LMS names a course-v1 course's block `course` (…+type@course+block@course); an
        # old-style course keeps its url_name (i4x://Org/Course/course/<url_name>).
        root_name = url_name if self.course_key.deprecated else "course"
        self.policy_names[("course", root_name)] = url_name
        root = self.load(definition, "course", root_name, course_file)
        for directory in self.files.directories():
            if directory in NOT_BLOCK_DIRECTORIES:
                continue
            for file in self.files.xml_files(directory):
                name = posixpath.basename(file)[: -len(".xml")]
                if (directory, name) not in self.loaded:
                    self.load(self.parse(file), directory, name, file)
        structure = CourseStructure(
            course=self.catalog(course_id, definition, url_name, org, number),
            root=root,
            blocks=self.blocks,
            grading_policy=self.grading(f"policies/{url_name}/grading_policy.json"),
        )
        inherit(structure)
        return structure

    def usage_key(self, block_type: str, name: str) -> str:
        """The block's usage key, spelt as edx-opaque-keys spells it for this course.

        Validating every key with opaque-keys costs ~25 µs a block; the key's spelling comes
        from one key it made, and each type and name is checked against the characters it
        allows (a block id outside them is refused as opaque-keys would)."""
        if not _KEY_PART.fullmatch(block_type) or not _KEY_PART.fullmatch(name):
            raise self.fail(
                f"{block_type}/{name}.xml", "a block type or url_name with characters a key cannot hold"
            )
        return self.key_template.replace("TYPE\x00", block_type).replace("NAME\x00", name)

    def load(self, element: ElementTree.Element, block_type: str, name: str, file: str) -> str:
        """The block `element` defines (a file's root or an inline element) and, for containers,
        its children, depth first; returns its usage key."""
        # Files are read depth first, with an explicit stack: a deep export cannot exhaust
        # Python's recursion limit. Each entry: (element, type, name, file, parent key).
        root_key = ""
        pending: list[tuple[ElementTree.Element, str, str, str, str | None]] = [
            (element, block_type, name, file, None)
        ]
        while pending:
            node, node_type, node_name, node_file, parent = pending.pop()
            key = self.usage_key(node_type, node_name)
            if parent is not None:
                self.blocks[parent].children.append(key)
            if (node_type, node_name) in self.loaded:
                continue  # a second pointer to one block: a DAG, defined once
            self.loaded.add((node_type, node_name))
            block = self.block(node, node_type, node_name, key, node_file)
            self.blocks[key] = block
            if not root_key:
                root_key = key
            if node_type not in CONTAINER_TYPES:
                continue
            children = []
            for index, child in enumerate(node):
                if not isinstance(child.tag, str) or child.tag in NOT_BLOCKS:
                    continue  # comments, processing instructions, course settings
                child_type = child.tag
                child_name = child.get("url_name") or _inline_name(node_name, child_type, index)
                if _is_pointer(child):
                    child_file = f"{child_type}/{child_name}.xml"
                    if (child_type, child_name) in self.loaded:
                        children.append((child, child_type, child_name, child_file, key))
                        continue
                    children.append((self.parse(child_file), child_type, child_name, child_file, key))
                else:
                    children.append((child, child_type, child_name, node_file, key))
            pending.extend(reversed(children))
        return root_key

    def block(self, element: ElementTree.Element, block_type: str, name: str, key: str, file: str) -> Block:
        attributes: dict[str, object] = dict(element.attrib)
        policy_name = self.policy_names.get((block_type, name), name)
        attributes.update(self.policy.get(f"{block_type}/{policy_name}", {}))
        try:
            due = parse_datetime(attributes.get("due"))
            start = parse_datetime(attributes.get("start"))
        except ValueError as error:
            raise self.fail(file, f"{block_type} {name}: a date that does not parse ({error})") from error
        graded = attributes.get("graded", False)
        display_name = attributes.get("display_name")
        return Block(
            block_id=key,
            block_type=block_type,
            display_name=str(display_name) if display_name not in (None, "") else name.replace("_", " "),
            graded=graded is True or str(graded).strip().strip('"').lower() == "true",
            format=str(attributes["format"]) if attributes.get("format") not in (None, "") else None,
            due=due,
            start=start,
        )

    def catalog(
        self, course_id: str, definition: ElementTree.Element, url_name: str, org: str, number: str
    ) -> CourseInfo:
        values = {**definition.attrib, **self.policy.get(f"course/{url_name}", {})}
        file = f"policies/{url_name}/policy.json"
        try:
            dates = {
                field: parse_datetime(values.get(source))
                for field, source in (
                    ("start_date", "start"),
                    ("end_date", "end"),
                    ("enrollment_start", "enrollment_start"),
                    ("enrollment_end", "enrollment_end"),
                )
            }
        except ValueError as error:
            raise self.fail(file, f"a course date that does not parse ({error})") from error
        self_paced = values.get("self_paced", False)
        self_paced = self_paced is True or str(self_paced).strip('"').lower() == "true"
        name = values.get("display_name")
        return CourseInfo(
            course_id=course_id,
            name=str(name) if name else None,
            org=org,
            number=number,
            pacing="self" if self_paced else "instructor",
            **dates,
        )

    def grading(self, file: str) -> list[GraderEntry]:
        policy = self.json(file)
        if policy is None:
            return []
        graders = policy.get("GRADER") if isinstance(policy, dict) else None
        if not isinstance(graders, list):
            raise self.fail(file, "no GRADER list")
        entries = []
        for grader in graders:
            try:
                entries.append(
                    GraderEntry(
                        assignment_type=str(grader["type"]),
                        weight=float(grader.get("weight", 0)),
                        drop_count=int(grader.get("drop_count", 0)),
                        min_count=int(grader.get("min_count", 0)),
                    )
                )
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                raise self.fail(file, f"a GRADER entry without a usable type/weight ({error!r})") from error
        return entries


_KEY_PART = re.compile(r"[\w\-~.:]+")
"""What a usage key's block type and block id may hold (edx-opaque-keys' ALLOWED_ID_CHARS)."""


def _is_pointer(element: ElementTree.Element) -> bool:
    """`<type url_name="…"/>` and nothing else: a reference to `<type>/<url_name>.xml`."""
    return set(element.attrib) == {"url_name"} and len(element) == 0 and not (element.text or "").strip()


def _inline_name(parent: str, block_type: str, index: int) -> str:
    """A stable name for an inline block without url_name (Studio gives every block one)."""
    return hashlib.sha1(f"{parent}/{block_type}/{index}".encode()).hexdigest()[:20]
