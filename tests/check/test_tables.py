"""check/tables.py: a table whose longest words and numbers the printed page cannot hold side
by side is a warning at its first line; every table that fits says nothing."""

from __future__ import annotations

from briefpress.check.tables import PAGE_WIDTH_PT, check_tables
from briefpress.cli import main
from briefpress.read.brief import read_brief
from conftest import WATER, edit

TABLE = "| Year | Transits | Of which tankers |"
WIDE = ("| Country | " + " | ".join(str(year) for year in range(2015, 2025))
        + " | Total change |\n|" + "---|" * 12 + "\n| Norway-and-Svalbard-administrative-region"
        " | " + "1,234,567 | " * 10 + "+12,345,678 |")


def test_the_fixtures_tables_fit(arctic_brief, scratch):
    assert check_tables(arctic_brief) == []
    assert check_tables(read_brief(scratch(WATER))) == []


def test_a_table_of_twelve_columns_of_numbers_is_a_warning_at_its_first_line(scratch):
    folder = scratch()
    edit(folder / "brief.md", TABLE + "\n|-----:|---------:|-----------------:|",
         WIDE + "\n| 2019 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 |")
    (problem,) = check_tables(read_brief(folder))
    assert (problem.file, problem.line, problem.severity) == (folder / "brief.md", 40,
                                                              "warning")
    assert problem.message == (
        "a table of 12 columns is too wide for the printed page: their longest words and "
        "numbers (the longest 'administrative-') need about 569 pt side by side, an A4 page "
        f"holds {PAGE_WIDTH_PT:.0f} pt, so the PDF breaks them inside")
    assert problem.fix.startswith("split the table in two, turn some of its columns into rows")


def test_a_long_word_alone_in_a_narrow_table_fits(scratch):
    """A word the column cannot hold breaks inside it (print.css): one piece under the
    page's width is no warning, however narrow the column it lands in."""
    folder = scratch()
    edit(folder / "brief.md", "| 2019 | 12 | 3 |", "| 2019 | " + "x" * 70 + " | 3 |")
    assert check_tables(read_brief(folder)) == []


def test_one_word_wider_than_the_page_is_no_table_s_fault(scratch):
    """It breaks inside, in a table as in a paragraph: only columns that cannot stand side
    by side, each fitting alone, are warned about."""
    folder = scratch()
    edit(folder / "brief.md", "| 2019 | 12 | 3 |", "| 2019 | " + "Q" * 120 + " | 3 |")
    assert check_tables(read_brief(folder)) == []


def test_check_and_build_report_it_and_build_goes_on(scratch, capsys, tmp_path):
    folder = scratch()
    edit(folder / "brief.md", TABLE + "\n|-----:|---------:|-----------------:|", WIDE)
    assert main(["check", str(folder)]) == 0
    assert f"{folder / 'brief.md'}:40: warning: a table of 12 columns" in capsys.readouterr().err
    assert main(["build", str(folder), "--format", "html",
                 "--build-dir", str(tmp_path / "build")]) == 0
    assert f"{folder / 'brief.md'}:40: warning: a table of 12 columns" in capsys.readouterr().err
