"""Run Debian's LibreOffice for tests: re-save a .docx, or render it to PDF."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

TIMEOUT_S = 180


def soffice_convert(source: Path, to: str, outdir: Path, profile: Path) -> Path:
    """``soffice --convert-to`` with its own profile (parallel runs do not share one)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; `make test` installs it")
    outdir.mkdir(parents=True, exist_ok=True)
    completed = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", to, "--outdir", str(outdir), str(source)],
        capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    result = outdir / f"{source.stem}.{to.split(':')[0]}"
    assert result.is_file(), f"soffice did not convert {source}: {completed.stderr}"
    return result
