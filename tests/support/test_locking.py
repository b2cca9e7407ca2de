"""support/locking.py: one build or import of a brief at a time; a dead holder blocks nothing."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from briefpress.errors import BriefError, Problem
from briefpress.support.locking import brief_lock, remove_stale_temporaries

HOLD = """
import sys, time
from pathlib import Path
from briefpress.support.locking import brief_lock
with brief_lock(Path(sys.argv[1]), "a-brief"):
    print("held", flush=True)
    time.sleep(60)
"""


def hold_in_another_process(build: os.PathLike) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(build)], stdout=subprocess.PIPE,
                              text=True, env=env)
    assert holder.stdout.readline() == "held\n"
    return holder


def test_the_lock_file_is_made_in_the_briefs_build_folder(tmp_path):
    with brief_lock(tmp_path / "build", "a-brief", timeout=1):
        assert (tmp_path / "build" / "a-brief" / ".lock").is_file()


def test_a_held_lock_times_out_with_a_located_message(tmp_path):
    folder = tmp_path / "a-brief"
    folder.mkdir()
    with open(folder / ".lock", "a+b") as other:  # another open file: flock conflicts
        fcntl.flock(other.fileno(), fcntl.LOCK_EX)
        started = time.monotonic()
        with pytest.raises(BriefError) as caught, brief_lock(tmp_path, "a-brief", timeout=0.1):
            pass
        assert 0.1 <= time.monotonic() - started < 2
    assert caught.value.problems == [Problem(
        folder / ".lock", None, "another briefpress process has held this brief for over 0 s",
        "wait for it to finish, or stop it")]


def test_the_second_holder_waits_for_the_first(tmp_path):
    order: list[str] = []
    inside = threading.Event()

    def first() -> None:
        with brief_lock(tmp_path, "a-brief", timeout=5):
            order.append("first in")
            inside.set()
            time.sleep(0.1)
            order.append("first out")

    thread = threading.Thread(target=first)
    thread.start()
    inside.wait(5)
    with brief_lock(tmp_path, "a-brief", timeout=5):
        order.append("second in")
    thread.join()
    assert order == ["first in", "first out", "second in"]


def test_the_lock_is_released_after_an_exception(tmp_path):
    with pytest.raises(RuntimeError), brief_lock(tmp_path, "a-brief", timeout=1):
        raise RuntimeError("build failed")
    with brief_lock(tmp_path, "a-brief", timeout=0.1):
        pass


def test_a_lock_held_by_a_live_process_blocks_and_by_a_killed_one_does_not(tmp_path):
    holder = hold_in_another_process(tmp_path)
    try:
        with pytest.raises(BriefError), brief_lock(tmp_path, "a-brief", timeout=0.1):
            pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        holder.stdout.close()
    assert (tmp_path / "a-brief" / ".lock").exists()  # the dead holder's file is still there
    started = time.monotonic()
    with brief_lock(tmp_path, "a-brief", timeout=5):
        assert time.monotonic() - started < 1


def test_taking_the_lock_removes_temporaries_a_killed_writer_left(tmp_path):
    folder = tmp_path / "a-brief"
    (folder / "web").mkdir(parents=True)
    stale = [folder / ".a-brief.pdf.x1y2.tmp", folder / "web" / ".index.html.abc.tmp"]
    kept = [folder / "a-brief.pdf", folder / "notes.tmp", folder / ".hidden"]
    for path in stale + kept:
        path.write_text("x")
    (folder / ".dir.tmp").mkdir()  # only files are removed
    with brief_lock(tmp_path, "a-brief", timeout=1):
        assert [p.exists() for p in stale] == [False, False]
    assert all(p.exists() for p in kept)
    assert (folder / ".dir.tmp").is_dir()


def test_remove_stale_temporaries_on_a_missing_folder_does_nothing(tmp_path):
    remove_stale_temporaries(tmp_path / "nowhere")
