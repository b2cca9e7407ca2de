"""Turn everything an edition depends on into a key, and built editions into a record of keys.

An edition is up to date when the key of its inputs equals the key it was built from and
its files are, byte for byte, the files that build wrote: so neither a changed input nor
a damaged, edited or missing output can ever be taken for a current edition. The key is
the SHA-256 of:

- the brief's own files (every file of ``content/<slug>/``: brief.md,
  recommendations.yaml, the images it uses) and the project's ``briefpress.yaml`` (absent
  or not, for every brief: its defaults fill each brief's front matter);
- the files of the brief's brand (``brands/<name>/``: the one its front matter, its
  program or the config names), and only that brand's: editing one brand rebuilds only
  the briefs that use it;
- the project files the format declares it reads (:attr:`Format.inputs`: its
  templates, stylesheets, design tokens and fonts) and the brief's document type;
- the code: briefpress's own modules, the versions of the libraries that write the
  editions and the pandoc binary;
- the render options the format reads (:attr:`Format.options`: the print PDF ignores
  ``--pdf-variant``, the web page the paper size), the paper size filled in from the
  config when none was asked, ``SOURCE_DATE_EPOCH``, anything the format adds for itself
  (the print edition's CMYK profile) and what it shows of the other editions (the web
  page lists the PDF and DOCX beside it with their sizes).

The record of what was built lives beside the editions, in ``build/<slug>/.editions.json``;
a record that cannot be read is no record (everything is rebuilt), never an error. Each
edition's entry keeps the options of the latest build that covered it, whether that build
made it or found it up to date (:meth:`EditionKeys.adopt`), so that ``check``'s fix repeats
what was last asked; a build that changes nothing in it does not write it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections.abc import Collection, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import msgspec
from msgspec import Struct, field

from briefpress import __version__
from briefpress.errors import BriefError, Problem, display_path
from briefpress.model.options import RenderOptions

# where a project keeps its config and brands: names of paths, which read/ owns, not a
# read of either (what the keys need read, the front matter and the config's paper size,
# the caller gives EditionKeys)
from briefpress.read.brand import BRANDS, brand_folder
from briefpress.read.config import config_path
from briefpress.read.doctype import doctype_path
from briefpress.support import paths
from briefpress.support.files import open_regular
from briefpress.support.fsutil import atomic_write_bytes

if TYPE_CHECKING:
    from briefpress.model.schema import Metadata
    from briefpress.render import Format

RECORD = ".editions.json"
"""The record of a brief's editions, in its build folder (beside ``.lock``)."""

LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "tinyhtml5", "cssselect2", "pyphen",
             "fonttools", "python-docx", "lxml", "jinja2", "nh3", "pikepdf", "msgspec", "pyyaml",
             "pypandoc-binary", "typst")
"""Libraries whose version can change the bytes of an edition."""


class Edition(Struct):
    """One built edition: the key of its inputs and the SHA-256 of each file it wrote."""

    key: str
    files: dict[str, str]
    """Path relative to the brief's build folder → SHA-256 of its bytes."""
    options: RenderOptions | None = None
    """The options it was built with, as asked on the command line (None where the project's
    config or the default decided): for ``check`` to take its key as the build did, with
    the config as it is now, and to name them in the command that rebuilds it (None in a
    record of an earlier briefpress)."""
    epoch: str | None = None
    """``SOURCE_DATE_EPOCH`` as the build had it (None: unset), which is in the key too."""
    shown: dict[str, str] = field(default_factory=dict)
    """The SHA-256 of what it shows of each other edition of the brief, by format (the web
    page lists the PDF and DOCX with their sizes): for ``check`` to tell an edition whose
    sources did not change from one that shows another edition as it was."""
    source: str | None = None
    """The brief's folder it was built from, relative to the build folder (``../content/a``;
    None in a record of an earlier briefpress): so that a build folder whose slug has no
    brief in content/ any more is told from one of a brief built from a folder elsewhere
    (:func:`withdrawn`)."""


class Record(Struct):
    """What ``build`` last wrote for one brief, format by format."""

    editions: dict[str, Edition] = field(default_factory=dict)
    description: str | None = None
    """The brief's description, for the catalog page of a later build that reads no brief."""


_DIGESTS: dict[tuple[str, int, int, int, int, int], str] = {}
"""Digests already taken in this process, by file and stat signature: the fonts and
templates every brief of a catalog shares are read once a build, not once a brief."""


def sha256_file(path: Path) -> str | None:
    """The SHA-256 of a regular file, or None if it is missing or not a regular file."""
    try:
        with open_regular(path, 1 << 40) as handle:
            info = os.fstat(handle.fileno())
            signature = (str(path), info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns,
                         info.st_ctime_ns)
            if signature not in _DIGESTS:
                _DIGESTS[signature] = hashlib.file_digest(handle, "sha256").hexdigest()
            return _DIGESTS[signature]
    except (BriefError, OSError):
        return None


def _hash_files(digest: Any, root: Path, files: Iterable[Path]) -> None:
    """Feed each file's path below ``root`` and its content's hash into ``digest``."""
    for path in sorted(files):
        digest.update(f"{path.relative_to(root).as_posix()}\0{sha256_file(path)}\n".encode())


def _visible_files(folder: Path) -> list[Path]:
    """Every file under ``folder`` except hidden ones (an editor's swap file, a lock)."""
    found = []
    for top, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(Path(top) / name for name in names if not name.startswith("."))
    return found


@cache
def code_fingerprint() -> str:
    """The hash of what turns a source into editions, computed once a process: briefpress's
    own files (a development checkout changes without a new version number), the versions
    of the libraries in :data:`LIBRARIES` and the pandoc binary's size."""
    from briefpress.pandoc import pandoc_path

    digest = hashlib.sha256(f"briefpress {__version__}\n".encode())
    package = Path(__file__).resolve().parents[1]
    _hash_files(digest, package, (p for p in _visible_files(package)
                                  if "__pycache__" not in p.parts))
    versions = installed_versions()
    for name in LIBRARIES:
        digest.update(f"{name} {versions.get(_normalised(name), '-')}\n".encode())
    # the binary's size beside the wheel's version (in LIBRARIES), not its date: that is
    # when it was installed, which differs from machine to machine, and the keys a Dask
    # worker writes must be the keys the machine that started the build computes
    digest.update(f"pandoc {os.stat(pandoc_path()).st_size}\n".encode())
    return digest.hexdigest()


def installed_versions() -> dict[str, str]:
    """The version of each distribution installed on ``sys.path``, by normalised name; the
    first found wins, as for imports.

    Read from the names of the ``NAME-VERSION.dist-info`` folders the wheel format specifies
    (https://packaging.python.org/en/latest/specifications/binary-distribution-format/),
    which is all a key needs: importlib.metadata would read each distribution's METADATA
    file too, and its import alone costs more than the rest of a web page's key."""
    versions: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue  # a zip file, a folder that is gone
        for folder in names:
            if folder.endswith(".dist-info"):
                name, _, version = folder.removesuffix(".dist-info").partition("-")
                versions.setdefault(_normalised(name), version)
    return versions


def _normalised(name: str) -> str:
    """A distribution's name as the wheel format writes it in folder names (PEP 503's
    normalisation, with underscores)."""
    return name.lower().replace("-", "_").replace(".", "_")


def brief_inputs(folder: Path, brands: Collection[str] | None = None) -> str:
    """The hash of every file of a brief's folder (its sources and the images they use), of
    the project's ``briefpress.yaml``, whose defaults fill the brief's front matter, of the
    project's citation styles, and of the brief's brand.

    ``brands`` names the brands the brief uses (:func:`brands_of`): their folders are
    hashed, and no other brand's. None when they are not known (a front matter that does
    not read): then every brand of the project is, so that no edit can go unseen.
    """
    digest = hashlib.sha256()
    _hash_files(digest, folder, _visible_files(folder))
    config = config_path(folder)
    digest.update(f"{config.name}\0{sha256_file(config)}\n".encode())
    # the project's citation styles (briefpress.yaml's `csl:` names one)
    _hash_files(digest, config.parent, _visible_files(config.parent / "styles/csl"))
    _hash_brands(digest, config.parent, brands)
    return digest.hexdigest()


def brands_of(meta: Metadata | None) -> tuple[str, ...] | None:
    """The brands a brief of front matter ``meta`` uses (its ``brand:``, which the project's
    config fills in from the brief's program or the project's default): for
    :func:`brief_inputs`; None when the front matter did not read."""
    if meta is None:
        return None
    return (meta.brand,) if meta.brand else ()


def _hash_brands(digest: Any, root: Path, brands: Collection[str] | None) -> None:
    """Feed the files of ``brands`` (every brand's when None) into ``digest``, each named by
    its path below the project ``root``: a brand that appears or goes changes it too."""
    if brands is None:
        _hash_files(digest, root, _visible_files(root / BRANDS))
        return
    for name in sorted(set(brands)):
        digest.update(f"brand {name}\n".encode())
        _hash_files(digest, root, _visible_files(brand_folder(root, name)))


def catalog_brands(content: Path, brands: Collection[str]) -> str:
    """The hash of the files of ``brands`` of the project whose briefs are in ``content``:
    what the catalog page's key takes of the brands it is styled by."""
    digest = hashlib.sha256()
    _hash_brands(digest, content.parent, brands)
    return digest.hexdigest()


def project_inputs(patterns: Iterable[str], doctype: str) -> str:
    """The hash of the project files matching ``patterns`` (relative to the project root)
    and of the document type's rules."""
    root = paths.ROOT
    files = {path for pattern in patterns for path in root.glob(pattern) if path.is_file()}
    with contextlib.suppress(BriefError):
        files.add(doctype_path(doctype))
    digest = hashlib.sha256()
    _hash_files(digest, root, {f for f in files if f.is_relative_to(root)})
    return digest.hexdigest()


def edition_key(fmt: str, brief: str, project: str, options: RenderOptions,
                extra: bytes = b"", reads: Collection[str] | None = None, *,
                epoch: str | None) -> str:
    """The key of one edition from the hashes of its inputs (see the module's docstring);
    of ``options``, only the fields in ``reads`` (every field when None); ``epoch`` is
    ``SOURCE_DATE_EPOCH`` (None: unset)."""
    shown = msgspec.to_builtins(options)
    if reads is not None:
        shown = {name: value for name, value in shown.items() if name in reads}
    parts = (fmt, brief, project, code_fingerprint(), msgspec.json.encode(shown).decode(),
             epoch or "", hashlib.sha256(extra).hexdigest())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def epoch_now() -> str | None:
    """``SOURCE_DATE_EPOCH`` as this process has it, for the key (None: unset or empty);
    :mod:`briefpress.support.epoch` checks it where a date is made."""
    return os.environ.get("SOURCE_DATE_EPOCH", "").strip() or None


def load_record(folder: Path) -> Record:
    """The record of the editions in ``folder``; an empty one when there is none or it is
    damaged (then everything is rebuilt)."""
    try:
        with open_regular(folder / RECORD, 16 << 20) as handle:
            return msgspec.json.decode(handle.read(), type=Record)
    except (BriefError, OSError, msgspec.DecodeError):
        return Record()


def save_record(folder: Path, record: Record) -> None:
    atomic_write_bytes(folder / RECORD, msgspec.json.format(msgspec.json.encode(record)))


def is_current(folder: Path, edition: Edition | None, key: str) -> bool:
    """Whether ``edition`` was built from ``key`` and its files are still what build wrote."""
    if edition is None or edition.key != key or not edition.files:
        return False
    return all(sha256_file(folder / name) == digest for name, digest in edition.files.items())


class EditionKeys:
    """The edition keys of one brief (as :func:`edition_key` takes them for ``build``, and
    ``check`` to tell an edition older than its sources), from hashes of its inputs taken
    once (the project files' in ``projects``, which the briefs of one build may share).

    What the keys need of later stages comes from the caller, so that support/ reads no
    brief and knows no format: the ``formats`` (render/'s registry), the brief's front
    matter ``meta`` (None when it does not read: such a brief fails when it is read,
    whatever the key) and the project config's ``page_size``, which fills in the options'
    when none was asked. ``options`` are the options as asked (what the record keeps) and
    ``epoch`` is ``SOURCE_DATE_EPOCH`` (:func:`epoch_now` for a build; the recorded one for
    ``check``)."""

    def __init__(self, folder: Path, options: RenderOptions, build_dir: Path,
                 formats: Mapping[str, Format], meta: Metadata | None,
                 page_size: Literal["letter", "a4"] | None, *, epoch: str | None,
                 projects: dict[tuple[str, str], str] | None = None) -> None:
        self.folder, self.build_dir, self.formats = folder, build_dir, formats
        self.asked, self.epoch, self.meta = options, epoch, meta
        self.options = options.resolved(page_size)
        """The options the renders are given: the paper size filled in."""
        self.brief = brief_inputs(folder, brands_of(meta))
        self.source = os.path.relpath(folder.resolve(), build_dir.resolve())
        """Where the brief is, for its record (:attr:`Edition.source`): relative to the build
        folder (``../content/a``), so that a record names no absolute path and a project
        moved or copied whole, its build folder with it, keeps its records as they are."""
        self.doctype = meta.type if meta is not None else ""
        self.projects = {} if projects is None else projects
        self.shown: dict[str, dict[str, str]] = {}
        """By format, the digests of what its last key took of the other editions."""

    def key(self, name: str, shown: dict[str, str] | None = None) -> str:
        """The key of format ``name``; of what it shows of the other editions (the
        format's ``shows``), the digests ``shown`` if given (a record's), else those of the
        editions now."""
        fmt = self.formats[name]
        module = fmt.load()
        extra = getattr(module, "cache_extra", None)
        shows = getattr(module, "shows", None)
        if shown is None:
            shown = {other: hashlib.sha256(data).hexdigest()
                     for other, data in sorted((shows(self.folder.name, self.build_dir)
                                                if shows else {}).items())}
            self.shown[name] = shown
        project = self.projects.get((name, self.doctype))
        if project is None:
            # a catalog's briefs share the templates, styles and fonts: every one of these
            # files would otherwise be listed, opened and checked once per brief and format
            project = project_inputs(fmt.inputs, self.doctype)
            self.projects[(name, self.doctype)] = project
        own = extra(self.folder.name, self.build_dir) if extra else b""
        return edition_key(name, self.brief, project, self.options,
                           own + msgspec.json.encode(dict(sorted(shown.items()))),
                           reads=fmt.options, epoch=self.epoch)

    def current(self, name: str, record: Record) -> bool:
        """Whether the edition of format ``name`` in ``record`` is up to date: built from
        the key its inputs have now, and its files still what build wrote."""
        return is_current(self.build_dir / self.folder.name, record.editions.get(name),
                          self.key(name))

    def adopt(self, name: str, record: Record) -> bool:
        """Make ``record``'s edition of format ``name``, which this build found up to date
        (:meth:`current`), say the options as this build asked them: the latest build that
        covered an edition is the one ``check``'s fix repeats (a ``--page-size`` typed once
        and left off since is the config's to decide again), and the folder it was found
        in (a brief moved out of content/ is not withdrawn: :func:`withdrawn`). Whether
        the record changed: an up-to-date build writes its record only then."""
        edition = record.editions[name]
        if (edition.options, edition.epoch, edition.source) == (self.asked, self.epoch,
                                                               self.source):
            return False
        record.editions[name] = msgspec.structs.replace(edition, options=self.asked,
                                                        epoch=self.epoch, source=self.source)
        return True

    def edition(self, name: str, key: str, files: dict[str, str]) -> Edition:
        """The record of format ``name``'s edition just written from ``key`` (taken with
        :meth:`key` before it was rendered): its files, the options as asked, the epoch and
        what it shows of the other editions."""
        return Edition(key, files, self.asked, self.epoch, self.shown.get(name, {}),
                       self.source)


class Withdrawn(Struct, frozen=True):
    """A build folder holding the editions of a brief that is in content/ no more."""

    folder: Path
    gone: Path | None
    """The folder outside content/ its record says it was built from, not there any more;
    None when it was built from content/, or its record does not say (an earlier
    briefpress's)."""
    told: bool
    """Whether its record says which folder it was built from."""


def withdrawn(build_dir: Path, content: Path, present: Collection[str]) -> list[Withdrawn]:
    """The folders of ``build_dir`` that hold a record of editions (:data:`RECORD`) whose
    slug is not in ``present`` (the briefs in ``content``, and those being built now), and
    that were not built from a folder outside ``content`` that is still there: a brief
    withdrawn from content/ (its folder deleted or renamed) leaves its editions there, and
    a copy of the build folder publishes them. Such a folder is named, never removed: it is
    the publisher's to remove. Only the folders' names are listed and the records of those
    read, so an ordinary build pays one listing of the build folder."""
    try:
        names = sorted(os.listdir(build_dir))
    except OSError:
        return []
    found = []
    for name in names:
        folder = build_dir / name
        if name.startswith(".") or name in present or not (folder / RECORD).is_file():
            continue
        told, elsewhere = _sources_elsewhere(folder, content)
        if _with_brief(elsewhere) is not None:
            continue  # a brief built from a folder outside content/, still there
        found.append(Withdrawn(folder, elsewhere[0] if elsewhere else None, told))
    return found


def built_from(folder: Path, content: Path) -> Path | None:
    """The folder outside ``content`` the brief whose build folder is ``folder`` was built
    from, as its record says, if it is still there."""
    return _with_brief(_sources_elsewhere(folder, content)[1])


def _sources_elsewhere(folder: Path, content: Path) -> tuple[bool, list[Path]]:
    """Whether the record of the build folder ``folder`` says which folder its brief was
    built from (its ``source``, relative to the build folder), and the folders it names
    other than the brief's in ``content``."""
    local = (content / folder.name).resolve()
    told = sorted({(folder.parent / e.source).resolve()
                   for e in load_record(folder).editions.values() if e.source is not None})
    return bool(told), [path for path in told if path != local]


def _with_brief(folders: list[Path]) -> Path | None:
    """The first of ``folders`` that still holds a brief."""
    return next((path for path in folders if (path / "brief.md").is_file()), None)


def describe_files(folder: Path, files: Iterable[Path]) -> dict[str, str]:
    """The record of files just written below ``folder``: each one's SHA-256."""
    found = {}
    for path in files:
        digest = sha256_file(path)
        if digest is not None:
            found[path.relative_to(folder).as_posix()] = digest
    return found


def withdrawn_warnings(build_dir: Path, content: Path, present: Collection[str]
                       ) -> list[Problem]:
    """A warning for each folder of :func:`withdrawn`, with the command that removes it
    (and, for a brief moved out of content/, the build that records where it is now)."""
    problems = []
    for item in withdrawn(build_dir, content, present):
        local = display_path(content / item.folder.name)
        if item.gone is not None:
            what = (f"a brief built from {display_path(item.gone)}, which is not there any "
                    "more (nor in content/)")
        elif item.told:
            what = f"a brief withdrawn from content/ (there is no {local} any more)"
        else:
            what = (f"a brief not in content/ (there is no {local}; its record, from an "
                    "earlier briefpress, does not say which folder it was built from)")
        moved = ("if it is a brief in a folder outside content/, build it from there "
                 "(`briefpress build PATH/TO/FOLDER`), which records where it is"
                 if not item.told else
                 "if the brief moved to another folder, build it from there "
                 "(`briefpress build PATH/TO/FOLDER`)")
        problems.append(Problem(
            item.folder, None,
            f"holds the editions of {what}: a copy of the build folder publishes them still",
            f"remove it (`rm -r {display_path(item.folder)}`); {moved}", severity="warning"))
    return problems
