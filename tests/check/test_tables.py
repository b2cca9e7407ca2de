"""check/tables.py: a table whose longest words and numbers the printed page cannot hold side
by side is a warning at its first line; every table that fits says nothing."""

from __future__ import annotations

from briefpress.check.tables import check_tables
from briefpress.cli import main
from briefpress.read.brief import read_brief
from briefpress.render.table_width import page_width_pt, text_column_pt
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
        f"holds {page_width_pt():.0f} pt, so the PDF and the Word file break them inside")
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


def test_two_wide_tables_with_the_same_header_are_two_warnings_at_their_own_lines(scratch):
    folder = scratch()
    edit(folder / "brief.md", TABLE + "\n|-----:|---------:|-----------------:|",
         WIDE + "\n\nBetween them.\n\n" + WIDE)
    first, second = check_tables(read_brief(folder))
    assert (first.line, second.line) == (40, 46)


def test_a_piece_wider_than_the_page_is_left_out_and_the_rest_measured(scratch):
    """A URL breaks inside as in a line; the numbers beside it are still too many."""
    folder = scratch()
    edit(folder / "brief.md", TABLE + "\n|-----:|---------:|-----------------:|",
         WIDE.replace("Norway-and-Svalbard-administrative-region",
                      "https://example.org/" + "a" * 130))
    (problem,) = check_tables(read_brief(folder))
    assert problem.line == 40
    assert "(the longest '+12,345,678')" in problem.message


def test_a_two_column_table_is_not_told_to_turn_columns_into_rows(scratch):
    folder = scratch()
    edit(folder / "brief.md", TABLE + "\n|-----:|---------:|-----------------:|",
         "| Source | Link |\n|---|---|\n| Registry" + "W" * 30 + " | https://example.org/"
         + "/".join(["path"] * 12) + " |")
    (problem,) = check_tables(read_brief(folder))
    assert problem.fix == "split the table in two, or shorten its longest entries"


def test_a_recommendation_s_table_is_measured_against_the_text_column(scratch):
    """It is set right of the area's name, in the text column, not across the page."""
    folder = scratch()
    cells = ["W" * 14] * 4  # about 448 pt at 8 pt, with the gaps: under the page, over the column
    table = ("\n\n        | " + " | ".join("abcd") + " |\n        |" + "---|" * 4
             + "\n        | " + " | ".join(cells) + " |\n")
    text = (folder / "recommendations.yaml").read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.strip().startswith("text:"))
    assert line.strip().startswith("text: ") and not line.strip().endswith("|")
    indent = line[:len(line) - len(line.lstrip())]
    body = line.strip().removeprefix("text: ").strip().strip('"')
    (folder / "recommendations.yaml").write_text(text.replace(
        line, f"{indent}text: |\n{indent}  {body}" + table.replace("\n        ", f"\n{indent}  "),
        1), encoding="utf-8")
    (problem,) = check_tables(read_brief(folder))
    assert problem.file == folder / "recommendations.yaml"
    assert f"an A4 page's text column holds {text_column_pt():.0f} pt" in problem.message
    # the Word edition sets it across its whole text, which may hold it
    assert problem.message.endswith(", so the PDF breaks them inside")


def test_check_and_build_report_it_and_build_goes_on(scratch, capsys, tmp_path):
    folder = scratch()
    edit(folder / "brief.md", TABLE + "\n|-----:|---------:|-----------------:|", WIDE)
    assert main(["check", str(folder)]) == 0
    assert f"{folder / 'brief.md'}:40: warning: a table of 12 columns" in capsys.readouterr().err
    assert main(["build", str(folder), "--format", "html",
                 "--build-dir", str(tmp_path / "build")]) == 0
    assert f"{folder / 'brief.md'}:40: warning: a table of 12 columns" in capsys.readouterr().err


def test_a_table_whose_first_cell_the_text_before_it_shares_is_found_at_its_own_line(
        scratch):
    """The table's first words ("Shipping", the title's first) stand earlier in the front
    matter and in a paragraph: the warning is at the line the table is written on."""
    folder = scratch()
    text = (folder / "brief.md").read_text(encoding="utf-8")
    assert "Shipping" in text.split("---")[1]  # in the title of the front matter
    edit(folder / "brief.md", TABLE + "\n|-----:|---------:|-----------------:|",
         "Shipping counts by country follow.\n\n" + WIDE.replace("| Country |", "| Shipping |")
         + "\n| 2019 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 |")
    lines = (folder / "brief.md").read_text(encoding="utf-8").splitlines()
    (problem,) = check_tables(read_brief(folder))
    assert lines[problem.line - 1].startswith("| Shipping |")


def test_a_table_in_a_div_is_measured_against_the_text_column_it_is_set_in(scratch):
    """Six columns of sixteen-digit numbers fit the page's whole width, which a section's
    own table takes, but not the text column a table in a div has (print.css)."""
    folder = scratch()
    numbers = " | ".join(["1234567890123456"] * 6)
    table = "| " + " | ".join("ABCDEF") + " |\n|" + "---|" * 6 + "\n| " + numbers + " |"
    edit(folder / "brief.md", TABLE + "\n|-----:|---------:|-----------------:|", table)
    assert check_tables(read_brief(folder)) == []
    edit(folder / "brief.md", table, "::: {.note}\n" + table + "\n:::")
    (problem,) = check_tables(read_brief(folder))
    assert f"an A4 page's text column holds {text_column_pt():.0f} pt" in problem.message
