"""support/cache.py: every kind of input changes an edition's key, and a record is trusted
only while the files it describes are, byte for byte, what build wrote."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from tests.conftest import ARCTIC, ROOT

from briefpress import pandoc
from briefpress.model.brief import Brief
from briefpress.model.options import RenderOptions
from briefpress.render import FORMATS
from briefpress.render.web import CATALOG_INPUTS
from briefpress.support import cache, paths
from briefpress.support.cache import code_fingerprint

pytestmark = pytest.mark.slow


def key(folder: Path, fmt: str = "pdf", options: RenderOptions | None = None,
        extra: bytes = b"", doctype: str = "policy-brief") -> str:
    return cache.edition_key(fmt, cache.brief_inputs(folder),
                             cache.project_inputs(FORMATS[fmt].inputs, doctype),
                             options or RenderOptions(), extra, reads=FORMATS[fmt].options,
                             epoch=cache.epoch_now())


@pytest.fixture
def brief(tmp_path: Path) -> Path:
    return Path(shutil.copytree(ARCTIC, tmp_path / "content" / "arctic-shipping"))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project's templates and styles, taken for the project root."""
    root = tmp_path / "root"
    for name in ("templates", "styles"):
        shutil.copytree(ROOT / name, root / name)
    monkeypatch.setattr(paths, "ROOT", root)
    monkeypatch.setattr("briefpress.read.doctype.TEMPLATES", root / "templates")
    return root


@pytest.mark.parametrize("name", ["brief.md", "recommendations.yaml", "transits.png"])
def test_each_file_of_the_brief_changes_the_key(brief: Path, name: str) -> None:
    before = key(brief)
    with open(brief / name, "ab") as handle:
        handle.write(b"\n")
    assert key(brief) != before


def test_the_project_config_changes_the_key_of_every_edition_of_every_brief(
        brief: Path, tmp_path: Path) -> None:
    other = Path(shutil.copytree(ARCTIC, tmp_path / "content" / "other-brief"))
    config = tmp_path / "briefpress.yaml"
    before = {(b, fmt): key(b, fmt) for b in (brief, other) for fmt in FORMATS}
    config.write_text("lang: en-GB\n", encoding="utf-8")
    made = {(b, fmt): key(b, fmt) for b in (brief, other) for fmt in FORMATS}
    assert all(made[k] != before[k] for k in before)
    config.write_text("lang: fr\n", encoding="utf-8")
    assert all(key(b, fmt) != made[(b, fmt)] for b, fmt in before)


def test_hidden_files_in_the_brief_folder_do_not(brief: Path) -> None:
    before = key(brief)
    (brief / ".brief.md.swp").write_bytes(b"an editor's swap file")
    assert key(brief) == before


BUILT_IN = ("pdf", "print", "docx", "html")
"""The editions the table below speaks of (what each reads); a new edition's inputs are
proved by the two tests after it and by the audit of what its render opens."""


@pytest.mark.parametrize(("changed", "rebuilds"), [
    ("templates/print.html.j2", {"pdf", "print"}),
    ("templates/web.html.j2", {"html"}),
    ("templates/partials/colophon.html.j2", {"pdf", "print", "html"}),
    ("styles/print.css", {"pdf", "print"}),
    ("styles/print-press.css", {"pdf", "print"}),
    ("styles/web.css", {"html"}),
    ("styles/tokens.yaml", set(BUILT_IN)),
    ("styles/fonts/source-serif-4-latin-400-normal.woff2", set(BUILT_IN)),
    ("templates/doctypes/policy-brief.yaml", set(BUILT_IN)),
    ("templates/catalog.html.j2", set()),
])
def test_each_project_file_changes_the_keys_of_the_editions_that_use_it(
        brief: Path, project: Path, changed: str, rebuilds: set[str]) -> None:
    before = {fmt: key(brief, fmt) for fmt in BUILT_IN}
    with open(project / changed, "ab") as handle:
        handle.write(b"\n")
    after = {fmt: key(brief, fmt) for fmt in BUILT_IN}
    assert {fmt for fmt in BUILT_IN if before[fmt] != after[fmt]} == rebuilds


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_input_a_format_names_changes_its_key(brief: Path, project: Path,
                                                     fmt: str) -> None:
    """Each of :attr:`Format.inputs` is hashed: a change to a file it matches rebuilds the
    edition (and every pattern matches a file of the project: no misspelt input)."""
    for pattern in FORMATS[fmt].inputs:
        matched = sorted(path for path in project.glob(pattern) if path.is_file())
        assert matched, pattern
        before = key(brief, fmt)
        with open(matched[0], "ab") as handle:
            handle.write(b"\n")
        assert key(brief, fmt) != before, pattern


def test_the_document_type_changes_the_key_of_every_edition(brief: Path, project: Path) -> None:
    """Every edition's, whatever its inputs: the read of the brief follows its rules."""
    before = {fmt: key(brief, fmt) for fmt in FORMATS}
    with open(project / "templates" / "doctypes" / "policy-brief.yaml", "ab") as handle:
        handle.write(b"\n")
    assert all(key(brief, fmt) != before[fmt] for fmt in FORMATS)


def test_another_document_type_s_rules_do_not(brief: Path, project: Path) -> None:
    before = key(brief)
    (project / "templates" / "doctypes" / "memo.yaml").write_text("label: Memo\n")
    assert key(brief) == before
    assert key(brief, doctype="memo") != before


def test_options_the_date_the_code_and_the_format_s_extra_change_the_key(
        brief: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base = key(brief)
    assert key(brief, options=RenderOptions(page_size="a4")) != base
    assert key(brief, options=RenderOptions(pdf_variant="a")) != base
    assert key(brief, extra=b"pdf 85 KB") != base
    assert key(brief, "docx") != base
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert key(brief) != base
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "another briefpress or pandoc")
    assert key(brief) != base


FLIPPED = RenderOptions(page_size="a4", pdf_variant="a", pdf_layout="facing",
                        base_url="https://example.org/briefs/")
"""Every render option set otherwise than by default."""


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_an_option_changes_the_key_of_the_editions_that_read_it_only(
        brief: Path, fmt: str) -> None:
    """The print PDF is PDF/X-4 whatever --pdf-variant says: building it with another
    variant must find it up to date (as the web page with another paper size); that it
    truly reads none of the others is the next test's."""
    reads = FORMATS[fmt].options
    for name in RenderOptions.__struct_fields__:
        options = RenderOptions(**{name: getattr(FLIPPED, name)})
        assert (key(brief, fmt, options) != key(brief, fmt)) == (name in reads), name


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_an_option_a_format_does_not_list_leaves_its_bytes_alone(
        fmt: str, arctic_brief: Brief, tmp_path: Path, warm_cache: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """What makes :attr:`Format.options` true: the edition rendered with every option it
    does not list set otherwise is, byte for byte, the edition rendered with the defaults
    (a renderer that starts reading an option must list it, or its key would not change)."""
    monkeypatch.setenv("BRIEFPRESS_CACHE", str(warm_cache))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    reads = FORMATS[fmt].options
    unread = {name: getattr(FLIPPED, name) for name in RenderOptions.__struct_fields__
              if name not in reads}
    assert unread  # every format ignores some option: else there is nothing to test
    made = []
    for options in (RenderOptions(), RenderOptions(**unread)):
        out = tmp_path / str(len(made)) / FORMATS[fmt].filename.format(slug=arctic_brief.slug)
        out.parent.mkdir(parents=True)
        assets = FORMATS[fmt].load().render(arctic_brief, out, options) or []
        made.append({path.relative_to(out.parent).as_posix(): path.read_bytes()
                     for path in (out, *assets)})
    assert made[0] == made[1]


def test_every_option_a_format_names_is_an_option() -> None:
    """:attr:`Format.options` names fields of RenderOptions (a tuple: ``()`` reads none)."""
    fields = set(RenderOptions.__struct_fields__)
    for fmt in FORMATS.values():
        assert isinstance(fmt.options, tuple) and set(fmt.options) <= fields, fmt.name


def test_the_code_fingerprint_names_every_library_that_writes_an_edition() -> None:
    import importlib.metadata

    for name in ("weasyprint", "python-docx", "lxml", "pypandoc-binary"):
        assert name in cache.LIBRARIES
        importlib.metadata.version(name)  # installed under that name: its version counts


def test_installed_versions_are_those_importlib_metadata_reads() -> None:
    import importlib.metadata

    versions = cache.installed_versions()
    for name in cache.LIBRARIES:
        assert versions[cache._normalised(name)] == importlib.metadata.version(name), name


def test_a_library_of_another_version_changes_the_code_fingerprint(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fingerprint = cache.code_fingerprint.__wrapped__
    base = fingerprint()
    (tmp_path / "weasyprint-99.0.dist-info").mkdir()
    monkeypatch.syspath_prepend(str(tmp_path))  # found first, as an import would be
    assert cache.installed_versions()["weasyprint"] == "99.0"
    assert fingerprint() != base


def test_a_record_holds_only_while_its_files_are_what_build_wrote(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF the edition")
    edition = cache.Edition("k", cache.describe_files(tmp_path, [tmp_path / "a.pdf"]))
    assert cache.is_current(tmp_path, edition, "k")
    assert not cache.is_current(tmp_path, edition, "another key")
    assert not cache.is_current(tmp_path, None, "k")
    (tmp_path / "a.pdf").write_bytes(b"%PDF the edition, edited by hand")
    assert not cache.is_current(tmp_path, edition, "k")
    (tmp_path / "a.pdf").unlink()
    assert not cache.is_current(tmp_path, edition, "k")


def test_a_damaged_record_is_no_record(tmp_path: Path) -> None:
    record = cache.Record({"pdf": cache.Edition("k", {"a.pdf": "0" * 64})}, "About ice.")
    cache.save_record(tmp_path, record)
    assert cache.load_record(tmp_path) == record
    for damage in (b"{not json", b'{"editions": 7}', b"\xff\xfe"):
        (tmp_path / cache.RECORD).write_bytes(damage)
        assert cache.load_record(tmp_path) == cache.Record()
    (tmp_path / cache.RECORD).unlink()
    (tmp_path / cache.RECORD).mkdir()
    assert cache.load_record(tmp_path) == cache.Record()


AUDIT = """
import os, sys
from pathlib import Path
from briefpress.build import place, read_back, render, temporary_beside
from briefpress.model.options import RenderOptions
from briefpress.read.brief import read_brief
from briefpress.render import FORMATS
from briefpress.support import paths

fmt, out, part = FORMATS[sys.argv[1]], Path(sys.argv[2]), sys.argv[4]
# the read (the brief's own key: its folder and its document type) and the checks (which
# read the tokens for table widths, say) are no part of the render: the hook starts after
brief = read_brief(sys.argv[3])
opened = set()
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, os.PathLike)):
        path = Path(os.fsdecode(args[0])).absolute()
        if path.is_relative_to(paths.TEMPLATES) or path.is_relative_to(paths.STYLES):
            opened.add(path.relative_to(paths.ROOT).as_posix())
sys.addaudithook(hook)
module = fmt.load()  # what it reads as it is imported counts
if part == "edition":
    final = fmt.output(out, brief.slug)
    with temporary_beside(final) as temporary:  # an edition's steps, as build_brief runs them
        render(brief, fmt, temporary, RenderOptions())
        read_back(brief, fmt, temporary, final)
        place(temporary, final)
else:  # the files that cover every brief in content/ (the web catalog)
    module.render_collection([], out, RenderOptions())
print("\\n".join(sorted(opened)))
"""


def _opened(fmt: str, part: str, brief: Path, tmp_path: Path) -> list[str]:
    """The project files under templates/ and styles/ that rendering ``part`` of ``fmt`` opens
    (seen by an audit hook, in a fresh process with a cold font cache), run in the scratch
    project around ``brief`` (its own content/, the checkout's templates and styles), so
    that no brief of the repository's content/ is listed."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "BRIEFPRESS_CACHE": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", AUDIT, fmt, str(tmp_path / "out"), str(brief),
                           part], capture_output=True, text=True, env=env, check=True,
                          timeout=300, cwd=brief.parent.parent)
    return done.stdout.split()


def _undeclared(opened: list[str], declared: tuple[str, ...]) -> list[str]:
    import fnmatch

    return [name for name in opened if name != "templates/doctypes/policy-brief.yaml"
            and not any(fnmatch.fnmatch(name, p) for p in declared)]


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_project_file_a_render_reads_is_among_its_declared_inputs(
        fmt: str, brief: Path, tmp_path: Path) -> None:
    """The key covers what the render reads: every template, stylesheet and font it opens
    matches one of its Format.inputs, or is the brief's document type. Only the render's
    own opens count (not the read's, nor the checks'): a format that reads no design file
    need not name one."""
    opened = _opened(fmt, "edition", brief, tmp_path)
    assert opened or not FORMATS[fmt].inputs  # the hook saw the render read what it names
    assert _undeclared(opened, FORMATS[fmt].inputs) == []


def test_every_project_file_the_catalog_reads_is_among_its_inputs(brief: Path,
                                                                  tmp_path: Path) -> None:
    """The same of the catalog, which the build of the web page writes too, with its own key
    (``CATALOG_INPUTS``); its page lists every brief in content/: the scratch project's."""
    opened = _opened("html", "collection", brief, tmp_path)
    assert any(name.startswith("styles/") for name in opened)  # the hook saw the render
    assert _undeclared(opened, CATALOG_INPUTS) == []


def test_the_print_edition_s_key_names_the_system_s_cmyk_profile(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefpress.render import pdf, pdf_print

    profile = tmp_path / "cmyk.icc"
    profile.write_bytes(b"a profile")
    monkeypatch.setattr(pdf, "CMYK_PROFILE", profile)
    before = pdf_print.cache_extra("slug", tmp_path)
    profile.write_bytes(b"the profile, updated by Debian")
    assert pdf_print.cache_extra("slug", tmp_path) != before


def test_without_the_brief_s_brand_every_brand_s_files_change_its_keys(
        brief: Path, tmp_path: Path) -> None:
    brand = tmp_path / "brands" / "tidewater"
    before = {fmt: key(brief, fmt) for fmt in FORMATS}
    shutil.copytree(ROOT / "tests" / "fixtures" / "brands" / "tidewater", brand)
    added = {fmt: key(brief, fmt) for fmt in FORMATS}
    assert all(added[fmt] != before[fmt] for fmt in FORMATS)
    for name in ("brand.yml", "logo.svg"):
        changed = {fmt: key(brief, fmt) for fmt in FORMATS}
        with open(brand / name, "ab") as handle:
            handle.write(b"\n")
        assert all(key(brief, fmt) != changed[fmt] for fmt in FORMATS)


def test_the_code_fingerprint_is_the_same_on_every_machine(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The keys a worker records are the keys this machine checks: what names the code may
    not depend on when pandoc was installed there."""
    binary = tmp_path / "pandoc"
    binary.write_bytes(b"\0" * 1000)
    monkeypatch.setattr(pandoc, "pandoc_path", lambda: str(binary))
    fingerprint = code_fingerprint.__wrapped__
    first = fingerprint()
    os.utime(binary, (1_000_000_000, 1_000_000_000))
    assert fingerprint() == first
    binary.write_bytes(b"\0" * 1001)  # another pandoc
    assert fingerprint() != first


def test_an_edition_found_up_to_date_takes_the_options_this_build_asked(brief: Path,
                                                                       tmp_path: Path) -> None:
    """Built with --page-size a4 where the config gives a4, then found up to date by a build
    that typed none: the record says the latest build's options (None: the config's to
    decide), and says whether it changed, for the build to write it only then."""
    from briefpress.read.brief import read_front_matter

    meta = read_front_matter(brief)
    keys = cache.EditionKeys(brief, RenderOptions(), tmp_path, FORMATS, meta, "a4",
                             epoch=None)
    typed = cache.EditionKeys(brief, RenderOptions(page_size="a4"), tmp_path, FORMATS, meta,
                              "a4", epoch=None)
    assert keys.key("docx") == typed.key("docx")  # the same paper: the same edition
    record = cache.Record({"docx": typed.edition("docx", typed.key("docx"), {"a": "0"})})
    assert keys.adopt("docx", record)
    assert record.editions["docx"].options == RenderOptions()
    assert record.editions["docx"].key == typed.key("docx")  # the rest as it was
    assert record.editions["docx"].files == {"a": "0"}
    assert not keys.adopt("docx", record)  # the same options: nothing to write
