"""Turn paths into the bytes of regular files, and failures of the machine into clear messages.

A brief folder may hold a FIFO, a device or a folder where a file belongs (``brief.md``
as a named pipe blocks a reader forever; ``/dev/zero`` never ends). Every file briefpress
reads as input goes through :func:`open_regular`: it is looked at with ``stat`` before it is
opened, opened so that a FIFO swapped in meanwhile cannot block (``O_NONBLOCK``), and looked
at again through the open descriptor, so only a regular file within its size limit is read.

Writing can fail for reasons no brief causes: a read-only or full disk, a folder one may not
write. :func:`writing` turns such an ``OSError`` into one located message (exit status 2)
where the file is written, naming it; any other ``OSError`` is a bug and propagates.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from briefpress.errors import BriefError, Problem, display_path

ENVIRONMENT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM,
                      errno.ENOTDIR, errno.EEXIST, errno.EISDIR}
"""Errors of writing that the machine causes (full, read-only, not a folder), not the code."""

CACHE_FIX = ("set BRIEFPRESS_CACHE to a writable folder, or unset it to use build/.cache; "
             "the cache only saves time")
"""The way out of a cache that cannot be written."""


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def _refuse_kind(path: Path, mode: int, fix: str) -> BriefError:
    return BriefError(Problem(path, None, f"is {kind_of(mode)}, not a regular file",
                              fix or "replace it with a plain file"))


def _refuse_size(path: Path, size: int, limit: int, fix: str, of: str) -> BriefError:
    return BriefError(Problem(path, None, f"file is {size / 1e6:.1f} MB, over the "
                              f"{limit / 1e6:.1f} MB limit{of}", fix))


def open_regular(path: Path, limit: int, fix: str = "", too_big: str = "",
                 of: str = "") -> BinaryIO:
    """``path`` opened for reading if it is a regular file of at most ``limit`` bytes.

    A missing file raises FileNotFoundError (callers say what is missing in their own
    words); anything else that is not a regular file of that size is a BriefError naming
    the file, what it is and ``fix`` (``too_big``: the fix for a file that is too large,
    ``of``: what the limit is for, " for a brief's source").
    """
    found = os.stat(path)  # follows symlinks: the file read is the file checked
    if not stat.S_ISREG(found.st_mode):
        raise _refuse_kind(path, found.st_mode, fix)
    if found.st_size > limit:
        raise _refuse_size(path, found.st_size, limit, too_big or fix, of)
    # O_NONBLOCK: a FIFO put in the file's place since the stat cannot block the open
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            raise _refuse_kind(path, opened.st_mode, fix)
        if opened.st_size > limit:
            raise _refuse_size(path, opened.st_size, limit, too_big or fix, of)
        os.set_blocking(fd, True)
        # the descriptor checked, under the file's name (zipfile and messages show it)
        return open(path, "rb", opener=lambda _name, _flags: fd)
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: Path, limit: int, fix: str = "", too_big: str = "",
                 of: str = "") -> bytes:
    """The bytes of ``path`` (see :func:`open_regular`); never more than ``limit``, even if
    the file grows while it is read."""
    with open_regular(path, limit, fix, too_big, of) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise _refuse_size(path, len(data), limit, too_big or fix, of)
    return data


def copy_regular(source: Path, target: Path, limit: int) -> None:
    """``source`` copied to ``target`` (a new file, never a link) if it is a regular file of at
    most ``limit`` bytes, read as :func:`read_regular` reads (a FIFO cannot block, a file is
    never read past ``limit``). One over ``limit`` becomes a file of its size holding nothing
    (sparse: no data is read or written), which a reader whose limit is at most ``limit``
    refuses by its size, as it would refuse ``source``; anything else (a FIFO, a device, a
    folder, nothing) is not copied."""
    try:
        data = read_regular(source, limit)
    except BriefError:  # no regular file, or one over the limit
        try:
            found = os.stat(source)
        except OSError:
            return
        if stat.S_ISREG(found.st_mode):
            with open(target, "wb") as stand_in:
                stand_in.truncate(found.st_size)
        return
    except OSError:  # gone, or not ours to read: the read of the copy finds it missing
        return
    with open(target, "wb") as copy:
        copy.write(data)


def copy_tree(source: Path, target: Path, limit: int) -> None:
    """The folder ``source`` copied to ``target``: its folders made, its files copied with
    :func:`copy_regular`, no link made. A symbolic link is followed only within ``source``
    (as the readers of a project's folders follow it: a brand's fonts must be in the brand's
    folder), and a folder is entered once on a path (a link to a folder above it ends)."""
    top = source.resolve()

    def copy(folder: Path, into: Path, above: tuple[Path, ...]) -> None:
        into.mkdir(parents=True, exist_ok=True)
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:  # not ours to read: the read of the copy finds it empty
            return
        for entry in entries:
            path = Path(entry.path)
            try:
                resolved = path.resolve()
            except (OSError, RuntimeError):  # a loop of links
                continue
            if not resolved.is_relative_to(top):
                continue
            if entry.is_dir():
                if resolved not in above:
                    copy(path, into / entry.name, (*above, resolved))
            else:
                copy_regular(path, into / entry.name, limit)

    copy(source, target, (top,))


def fault_fix(code: int | None, fix: str) -> str:
    """The way out of an environment fault: free space for a full disk, else ``fix``."""
    if code in (errno.ENOSPC, errno.EDQUOT):
        return "free some disk space, then run the command again; earlier outputs are intact"
    return fix


def fault(path: Path | str, exc: OSError, fix: str, elsewhere: str = "") -> BriefError:
    """An environment fault on ``path`` as a located error, with ``fix``; a file where a
    folder must be (or a folder where a file must be) is named, with the way to move it,
    since no change of permissions mends that, and ``elsewhere``: the way out that needs no
    change here (another folder), if there is one."""
    if exc.errno in (errno.EEXIST, errno.ENOTDIR, errno.EISDIR):
        blocking = in_the_way(Path(path), exc)
        if blocking is not None and blocking.is_symlink() and not blocking.exists():
            # a link to a drive not mounted: moving "the file" away would lose the link
            return BriefError(Problem(
                blocking, None, f"cannot write: it is a symbolic link to a folder that does "
                f"not exist, {os.readlink(blocking)}",
                f"mount the drive it is on, or point the link at a folder that exists: "
                f"`ln -sfn FOLDER {display_path(blocking)}`" + (f"; or {elsewhere}"
                                                                 if elsewhere else "")))
        if blocking is not None:
            is_folder = blocking.is_dir()
            what, wanted = ("a folder", "a file") if is_folder else ("a file", "a folder")
            return BriefError(Problem(
                blocking, None, f"cannot write: {what} is in the way, where {wanted} must be",
                f"move or delete the {what.removeprefix('a ')} {display_path(blocking)}"
                + (f", or {elsewhere}" if elsewhere else "")))
    reason = exc.strerror or str(exc)
    return BriefError(Problem(path, None, f"cannot write: {reason}", fault_fix(exc.errno, fix)))


def in_the_way(path: Path, exc: OSError) -> Path | None:
    """What stops a write below ``path``: the first of its folders (from the root down) that
    is a file, or, for EISDIR, the folder where the file was to go; None if none is found
    (it was moved meanwhile)."""
    if exc.errno == errno.EISDIR:
        for name in (exc.filename2, exc.filename, path):
            if name is not None and Path(name).is_dir():
                return Path(name)
        return None
    for folder in reversed((path, *path.parents)):
        if folder.is_dir():
            continue
        return folder if folder.exists() or folder.is_symlink() else None
    return None


BUILD_ELSEWHERE = "build elsewhere with --build-dir"
"""The way out of a build folder that cannot be written that needs no change to it."""


def make_build_folder(folder: Path) -> None:
    """Make ``folder`` of the build folder, and the folders above it that are missing.

    What :func:`writing` names (a read-only disk, a file in the way) propagates to it; any
    other failure is a place where no folder can be made at all (``--build-dir`` below
    ``/proc``, say), said as one located message, not a traceback.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if exc.errno in ENVIRONMENT_ERRNOS:
            raise
        raise BriefError(Problem(
            exc.filename or folder, None,
            f"cannot create the build folder: {exc.strerror or exc}",
            f"{BUILD_ELSEWHERE}, a folder on a disk that can hold it")) from None

WRITABLE = f"make the folder writable, or {BUILD_ELSEWHERE}"
"""The fix for a build folder that cannot be written."""


@contextmanager
def writing(path: Path | str, fix: str = WRITABLE, elsewhere: str = BUILD_ELSEWHERE
            ) -> Iterator[None]:
    """Turn an environment fault while writing under ``path`` into a located BriefError
    (:func:`fault`: ``fix``, and ``elsewhere`` for a file or folder in the way).

    The message names the file the system call failed on when it says so, else ``path``.
    """
    try:
        yield
    except OSError as exc:
        if exc.errno not in ENVIRONMENT_ERRNOS:
            raise
        raise fault(exc.filename or path, exc, fix, elsewhere) from None


# --- temporary files: named by their process, so that a later run can clear a dead one's ----

def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def temporary_file(path: Path) -> tuple[int, Path]:
    """A new temporary file beside ``path`` (an open descriptor and its path), named
    ``.<name>.<pid>.<random>.tmp`` so that :func:`clear_dead_temporaries` knows its maker."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp",
                                dir=path.parent)
    return fd, Path(name)


def clear_dead_temporaries(folder: Path) -> None:
    """Delete the temporary files in ``folder`` whose process is gone (a killed run's)."""
    try:
        found = list(folder.glob(".*.tmp"))
    except OSError:
        return
    for leftover in found:
        parts = leftover.name.split(".")
        if len(parts) >= 4 and parts[-3].isdigit() and not _alive(int(parts[-3])):
            with contextlib.suppress(OSError):
                leftover.unlink()


@contextmanager
def scratch_folder(prefix: str) -> Iterator[Path]:
    """A temporary folder ``<prefix><pid>-<random>`` removed on every exit path; folders of
    the same prefix whose process is gone (a killed run's) are removed first."""
    root = Path(tempfile.gettempdir())
    with contextlib.suppress(OSError):
        for leftover in root.glob(f"{prefix}*"):
            pid = leftover.name[len(prefix):].split("-", 1)[0]
            if pid.isdigit() and not _alive(int(pid)) and leftover.is_dir() \
                    and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix=f"{prefix}{os.getpid()}-") as folder:
        yield Path(folder)


Version = tuple[int, int, int, int] | None
"""A file's stat signature: modification and change times (ns), size and inode; None when it
is gone. The change time is the system's: a tool that restores a file's modification time
(``cp -p``, ``rsync -t``) cannot hide a same-size write from it."""


def file_version(path: Path) -> Version:
    """The stat signature of ``path`` (a write, a replacing rename or a deletion changes it)."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):  # ValueError: a name no file can have (a NUL in it)
        return None
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)


F = TypeVar("F", bound=Callable[..., Any])


def cache_while_unchanged(files: Callable[..., Iterable[Path]], maxsize: int = 16
                          ) -> Callable[[F], F]:
    r"""Memoise a function of project files until one of them changes.

    ``files(*args)`` names the files a call with ``args`` reads; their
    :func:`file_version`\ s are part of the cache's key. A build reads each file once; a
    process that lives across edits (``briefpress serve``) reads a file again once it
    changed, with nothing to empty by hand. Checking costs a ``stat`` a file a call.
    """
    def decorate(function: F) -> F:
        @functools.lru_cache(maxsize=maxsize)
        def cached(versions: tuple[Version, ...], *args: Any, **kwargs: Any) -> Any:
            return function(*args, **kwargs)

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            versions = tuple(file_version(path) for path in files(*args, **kwargs))
            return cached(versions, *args, **kwargs)

        wrapper.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]
    return decorate
