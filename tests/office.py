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


def soffice_convert_many(sources: list[Path], to: str, outdir: Path, profile: Path
                         ) -> list[Path]:
    """``soffice --convert-to`` of many files in one run (one start of LibreOffice, which
    costs more than converting a brief): the converted files, in the order of ``sources``.
    Their names must differ (the results are named by them in ``outdir``)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; `make test` installs it")
    assert len({s.stem for s in sources}) == len(sources), "sources of the same name"
    outdir.mkdir(parents=True, exist_ok=True)
    completed = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", to, "--outdir", str(outdir), *map(str, sources)],
        capture_output=True, text=True, timeout=TIMEOUT_S + 10 * len(sources), check=False)
    results = [outdir / f"{source.stem}.{to.split(':')[0]}" for source in sources]
    missing = [str(s) for s, r in zip(sources, results, strict=True) if not r.is_file()]
    assert not missing, f"soffice did not convert {missing}: {completed.stderr}"
    return results
