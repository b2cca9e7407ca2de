"""The same source gives the same bytes in every edition, wherever the project lies on disk."""

from __future__ import annotations

import shutil

from briefpress.build import build
from conftest import ARCTIC


def test_identical_bytes_from_two_folders(tmp_path):
    outputs = []
    for name in ("one", "elsewhere/two"):
        folder = tmp_path / name / ARCTIC.name
        shutil.copytree(ARCTIC, folder)
        built = build([str(folder)], ["pdf", "print", "docx", "html"],
                      build_dir=tmp_path / name / "out")
        outputs.append({path.relative_to(tmp_path / name / "out"): path.read_bytes()
                        for path in built})
    first, second = outputs
    assert set(first) == set(second)
    for path in first:
        assert first[path] == second[path], f"{path} differs between the two folders"
