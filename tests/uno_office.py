"""Turn editing steps into edited .docx files: a LibreOffice driven over UNO, for tests.

``python3-uno`` is Debian's and works with Debian's ``/usr/bin/python3``, not with the
virtualenv's Python, so the editing runs in ``tests/uno_edit.py`` under that Python, as a
subprocess talking to one ``soffice`` (the wrapper script, which restarts once on a fresh
profile) that listens on a free local port with its own profile. The soffice is started
once per test module and its whole process group ended with the module.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest

SYSTEM_PYTHON = Path("/usr/bin/python3")
SCRIPT = Path(__file__).resolve().parent / "uno_edit.py"
TIMEOUT_S = 300


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def uno_available() -> str | None:
    """Why the UNO harness cannot run here, or None if it can."""
    if shutil.which("soffice") is None:
        return "LibreOffice (soffice) is not installed; `make test` installs it"
    probe = subprocess.run([str(SYSTEM_PYTHON), "-c", "import uno"], capture_output=True,
                           check=False) if SYSTEM_PYTHON.is_file() else None
    if probe is None or probe.returncode != 0:
        return "python3-uno is not installed; `make test` installs it"
    return None


class LibreOffice:
    """One headless soffice, listening on a local port, and the edits made through it."""

    def __init__(self, profile: Path) -> None:
        reason = uno_available()
        if reason:
            pytest.skip(reason)
        self.port = _free_port()
        # soffice's temporary files go beside its profile, not into the shared /tmp
        scratch = profile.parent / f"{profile.name}-tmp"
        scratch.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [shutil.which("soffice") or "soffice", f"-env:UserInstallation={profile.as_uri()}",
             "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
             f"--accept=socket,host=127.0.0.1,port={self.port};urp;"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "TMPDIR": str(scratch)}, start_new_session=True)

    def edit(self, jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Run the jobs (see ``tests/uno_edit.py``); one result per job, in order.

        The UNO client is run again, once, if a signal ended it (it leaves no message then:
        seen once in a full run on a loaded machine, the bridge's process gone mid-call);
        a second end of the kind, or any other failure, fails the test with what it said."""
        for attempt in (1, 2):
            completed = subprocess.run(
                [str(SYSTEM_PYTHON), str(SCRIPT), str(self.port)], input=json.dumps(jobs),
                capture_output=True, text=True, timeout=TIMEOUT_S, check=False,
                env=self._env())
            if completed.returncode >= 0 or attempt == 2:
                break
        assert completed.returncode == 0, (completed.returncode, completed.stderr)
        return list(json.loads(completed.stdout))

    @staticmethod
    def _env() -> dict[str, str]:
        """The environment for Debian's Python: none of the virtualenv's Python settings."""
        return {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}

    def close(self) -> None:
        """End soffice: asked to quit over UNO, then its whole process group (the wrapper
        runs soffice.bin as a child) if it has not."""
        if self.process.poll() is None:
            subprocess.run([str(SYSTEM_PYTHON), str(SCRIPT), str(self.port), "--terminate"],
                           capture_output=True, timeout=60, check=False, env=self._env())
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=20)
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:  # the group has already gone
            self.process.wait()
