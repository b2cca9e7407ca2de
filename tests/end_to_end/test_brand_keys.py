"""A project of two brands: editing one brand rebuilds only the briefs that use it (and the
catalog only when the project's own brand changes); the catalog page is styled by the
project's brand, each brief's colophon by the brief's."""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import pytest
from tests.conftest import ARCTIC, ROOT, WATER, edit, seeded_cache

from briefpress.build import Report, build_all
from briefpress.support import cache

TIDEWATER = ROOT / "tests" / "fixtures" / "brands" / "tidewater"
POLAR_NAVY, TIDEWATER_NAVY = "#1d3557", "#0f4c5c"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warm_cache: Path) -> Path:
    """Briefs of two brands: ``polar`` (the project's, from briefpress.yaml; colours only)
    for arctic-shipping, ``tidewater`` (colours and fonts) for water-security."""
    shutil.copytree(ARCTIC, tmp_path / "content" / "arctic-shipping")
    shutil.copytree(WATER, tmp_path / "content" / "water-security")
    shutil.copytree(TIDEWATER, tmp_path / "brands" / "tidewater")
    polar = tmp_path / "brands" / "polar"
    polar.mkdir(parents=True)
    (polar / "brand.yml").write_text(
        f'meta:\n  name: Polar Institute\n  wordmark: Polar Desk\ncolor:\n  navy: "{POLAR_NAVY}"\n'
        "color_cmyk:\n  navy: [80, 50, 10, 50]\n", encoding="utf-8")
    (tmp_path / "briefpress.yaml").write_text("brand: polar\n", encoding="utf-8")
    edit(tmp_path / "content" / "water-security" / "brief.md", "\nlang:",
         "\nbrand: tidewater\nlang:")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BRIEFPRESS_CACHE", str(seeded_cache(tmp_path / "cache", warm_cache)))
    return tmp_path


def build(project: Path) -> Report:
    report = build_all([], ["html"], build_dir=project / "build", jobs=0)
    assert not report.failed, [p for r in report.failed for p in r.errors]
    return report


def outcome(report: Report) -> dict[str, tuple[list[str], list[str]]]:
    return {r.slug: (r.built, r.current) for r in report.results}


def catalog_key(project: Path) -> str:
    return cache.load_record(project / "build").editions["catalog"].key


def test_editing_one_brand_rebuilds_only_the_briefs_that_use_it(project: Path) -> None:
    first = build(project)
    assert outcome(first) == {"arctic-shipping": (["html"], []),
                              "water-security": (["html"], [])}
    catalog = catalog_key(project)
    assert outcome(build(project)) == {"arctic-shipping": ([], ["html"]),
                                       "water-security": ([], ["html"])}

    # the brief's own brand: only its brief; the catalog is styled by the project's brand
    edit(project / "brands" / "tidewater" / "brand.yml", '  navy: "#0f4c5c"',
         '  navy: "#10505f"')
    assert outcome(build(project)) == {"arctic-shipping": ([], ["html"]),
                                       "water-security": (["html"], [])}
    assert catalog_key(project) == catalog
    css = (project / "build" / "water-security" / "assets" / "web.css").read_text("utf-8")
    assert "--color-navy: #10505f;" in css

    # a font file of the brand is one of its inputs too
    with open(project / "brands" / "tidewater" / "fonts" / "OFL-FiraSans.txt", "a") as text:
        text.write("\n")
    assert outcome(build(project)) == {"arctic-shipping": ([], ["html"]),
                                       "water-security": (["html"], [])}

    # the project's brand, which arctic-shipping falls back to: it and the catalog
    edit(project / "brands" / "polar" / "brand.yml", POLAR_NAVY, "#1d3558")
    assert outcome(build(project)) == {"arctic-shipping": (["html"], []),
                                       "water-security": ([], ["html"])}
    assert catalog_key(project) != catalog
    css = (project / "build" / "assets" / "web.css").read_text("utf-8")
    assert "--color-navy: #1d3558;" in css

    # a brand no brief uses: nothing
    shutil.copytree(project / "brands" / "polar", project / "brands" / "unused")
    assert outcome(build(project)) == {"arctic-shipping": ([], ["html"]),
                                       "water-security": ([], ["html"])}


def test_a_brief_s_key_hashes_its_own_brand_alone(project: Path) -> None:
    folder = project / "content" / "water-security"
    mine, every = cache.brief_inputs(folder, ("tidewater",)), cache.brief_inputs(folder)
    edit(project / "brands" / "polar" / "brand.yml", POLAR_NAVY, "#1d3558")
    assert cache.brief_inputs(folder, ("tidewater",)) == mine
    assert cache.brief_inputs(folder) != every  # not knowing its brand: every brand counts
    assert cache.brief_inputs(folder, ()) != mine  # the house style is no brand's


def test_the_catalog_takes_the_project_s_brand_and_each_colophon_its_brief_s(
        project: Path) -> None:
    build(project)
    out = project / "build"
    catalog = lxml.html.fromstring((out / "index.html").read_bytes())
    assert catalog.xpath('string(//header//*[@class="wordmark"])') == "Polar Desk"
    css = (out / "assets" / "web.css").read_text("utf-8")
    assert f"--color-navy: {POLAR_NAVY};" in css and TIDEWATER_NAVY not in css
    assert "Fira Sans" not in css and '"Source Serif 4"' in css  # polar sets no fonts
    assert not (out / "assets" / "fonts" / "tidewater").exists()

    water = lxml.html.fromstring((out / "water-security" / "index.html").read_bytes())
    arctic = lxml.html.fromstring((out / "arctic-shipping" / "index.html").read_bytes())
    assert water.xpath('string(//footer//*[@class="colophon"]/p[@class="wordmark"])') \
        == "Tidewater"
    assert arctic.xpath('string(//footer//*[@class="colophon"]/p[@class="wordmark"])') \
        == "Polar Desk"
    # the colophon is set in the brief's faces: those the page's stylesheet declares
    water_css = (out / "water-security" / "assets" / "web.css").read_text("utf-8")
    assert '--font-sans: "Fira Sans Medium"' in water_css


def test_a_project_brand_that_does_not_read_leaves_the_catalog_in_the_house_style(
        project: Path) -> None:
    (project / "briefpress.yaml").write_text("brand: polar\n", encoding="utf-8")
    edit(project / "content" / "arctic-shipping" / "brief.md", "\nlang:",
         "\nbrand: tidewater\nlang:")
    (project / "brands" / "polar" / "brand.yml").write_text("meta: {}\n", encoding="utf-8")
    warnings = []
    report = build_all([], ["html"], build_dir=project / "build", jobs=0,
                       warn=warnings.append)
    assert not report.failed
    assert any("the catalog keeps the house style" in p.message for p in warnings)
    css = (project / "build" / "assets" / "web.css").read_text("utf-8")
    assert "--color-navy: #0b2545;" in css
