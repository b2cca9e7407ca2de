"""Checks: every finding about a brief's source, with file, line and fix, word for word."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from briefpress.check.brief import (
    _structure,
    check_brief,
    check_outputs,
    check_placeholders,
    check_structure,
    compare_outlines,
)
from briefpress.cli import main
from briefpress.errors import Problem
from briefpress.model import blocks
from briefpress.model.brief import OutlineEntry
from briefpress.read.brief import read_brief
from briefpress.read.doctype import known_doctypes, load_doctype
from briefpress.readback.outline import read_outline
from briefpress.render import FORMATS
from briefpress.scaffold import new_files, placeholders
from conftest import append, edit


def findings(folder: Path) -> list[str]:
    """Every finding but the missing date's: no fixture brief has a date (that warning has
    its own test, test_a_missing_date_is_a_warning)."""
    return [str(p) for p in check_brief(read_brief(folder)) if not _no_date(p)]


def _no_date(problem: Problem) -> bool:
    return problem.message.startswith("the brief has no publication `date:`")


def md(folder: Path, line: int | None = None) -> str:
    return f"{folder / 'brief.md'}:{line}" if line else str(folder / "brief.md")


def yml(folder: Path, line: int) -> str:
    return f"{folder / 'recommendations.yaml'}:{line}"


def test_real_brief_is_clean_but_for_missing_link_targets(real_brief, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the date message at its plainest
    problems = check_brief(real_brief)
    assert {p.severity for p in problems} == {"warning"}
    assert sorted(p.message for p in problems) == sorted([
        "the brief has no publication `date:`", *(f"link {text!r} has no target" for text in [
            "domestic perception", "argued for a collective movement",
            "US-ROK Next Generation Critical and Emerging Technologies Dialogue",
            "US-ROK Senior Economic Dialogue",
            "US-ROK Strategic Cybersecurity Cooperation Framework",
            "4th US-ROK Working Group Meeting on the DPRK Cyber Threat", "re-emphasized",
            "US-ROK nuclear energy cooperation",
            "tripling nuclear energy capacity globally by 2050"])])


def test_fixture_brief_is_clean(arctic_brief):
    assert [p for p in check_brief(arctic_brief) if not _no_date(p)] == []


def test_missing_required_section(scratch):
    folder = scratch()
    edit(folder / "brief.md", "# Introduction {#introduction}\n\nThe Northern Sea Route and "
         "the Northwest Passage are no longer curiosities. They are seasonal highways with too "
         "few exits.\n\n", "")
    assert findings(folder) == [
        f"{md(folder, 24)}: error: required section 'Introduction' is missing "
        "(fix: add `# Introduction {#introduction}` after 'Executive Summary' (line 24))"]


def test_missing_conclusion_goes_after_the_last_body_section(scratch):
    folder = scratch()
    edit(folder / "brief.md", "# Conclusion {#conclusion}\n", "")
    assert [f for f in findings(folder) if "Conclusion" in f] == [
        f"{md(folder, 48)}: error: required section 'Conclusion' is missing "
        "(fix: add `# Conclusion {#conclusion}` after 'What Should Change' (line 48))"]


REQUIRED = [(name, rule.id) for name in known_doctypes()
            for rule in load_doctype(name).sections
            if rule.id and not rule.optional and not rule.from_ and not rule.body]


@pytest.mark.parametrize(("doctype", "ident"), REQUIRED)
def test_the_fix_for_a_missing_section_puts_it_where_its_type_wants_it(tmp_path, doctype,
                                                                          ident):
    """Every required section of every type, left out of a new brief with two body
    sections: following the fix word for word gives a brief whose structure passes."""
    folder = tmp_path / "content" / "draft"
    folder.mkdir(parents=True)
    for name, text in new_files("draft", content=tmp_path / "content", doctype=doctype).items():
        (folder / name).write_text(text, encoding="utf-8")
    lines = (folder / "brief.md").read_text(encoding="utf-8").splitlines()
    argument = lines.index("# The Argument {#argument}")
    lines[argument + 2:argument + 2] = ["", "# A Second Part {#second-part}", "", "More."]
    start = next(i for i, line in enumerate(lines) if line.endswith(f"{{#{ident}}}"))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("# ")),
               len(lines))
    heading = lines[start]
    del lines[start:end]
    (folder / "brief.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    missing, = [p for p in check_structure(read_brief(folder))]
    assert missing.message == f"required section {heading[2:heading.index(' {')]!r} is missing"
    where, line = re.fullmatch(rf"add `{re.escape(heading)}` (after|above) '.*' \(line (\d+)\)",
                               missing.fix).groups()
    at = int(line) - 1
    if where == "after":  # after that section's text: before the next top-level heading
        at = next((i for i in range(at + 1, len(lines)) if lines[i].startswith("# ")),
                  len(lines))
    lines[at:at] = [heading, "", "Text.", ""]
    (folder / "brief.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert check_structure(read_brief(folder)) == []


def test_required_section_with_wrong_id(scratch):
    folder = scratch()
    edit(folder / "brief.md", "# Conclusion {#conclusion}", "# Conclusion {#closing}")
    assert findings(folder) == [
        f"{md(folder, 56)}: error: required section 'Conclusion' has id 'closing', not "
        "'conclusion' (fix: write the heading as `# Conclusion {#conclusion}`)"]


def test_required_section_demoted_to_a_subsection(scratch):
    """Tester 6's m1: Conclusion made a subsection in Word keeps its id; the finding says its
    level is wrong (it said "has id 'conclusion', not 'conclusion'")."""
    folder = scratch()
    edit(folder / "brief.md", "# Conclusion {#conclusion}", "## Conclusion {#conclusion}")
    problems = [p for p in findings(folder) if "Conclusion" in p]
    assert problems == [
        f"{md(folder, 56)}: error: required section 'Conclusion' (#conclusion) is a level-2 "
        "heading (`##`) under 'What Should Change', not a top-level one (fix: write the "
        "heading as `# Conclusion {#conclusion}`)"]


def test_misordered_section(scratch):
    folder = scratch()
    path = folder / "brief.md"
    text = path.read_text(encoding="utf-8")
    intro = text[text.index("# Introduction"):text.index("# The Traffic")]
    text = text.replace(intro, "")
    text = text.replace("# Executive Summary", intro + "# Executive Summary")
    path.write_text(text, encoding="utf-8")
    assert findings(folder) == [
        f"{md(folder, 28)}: error: section 'Executive Summary' is out of order: it must come "
        "before 'Introduction' (fix: move it above 'Introduction' (line 24))"]


def test_body_section_after_conclusion_is_out_of_order(scratch):
    folder = scratch()
    edit(folder / "brief.md", "[^transits]: Counts",
         "# Annex {#annex}\n\nMore tables.\n\n[^transits]: Counts")
    assert findings(folder) == [
        f"{md(folder, 60)}: error: section 'Annex' is out of order: it must come before "
        "'Conclusion' (fix: move it above 'Conclusion' (line 56))"]


def test_generated_section_written_in_markdown(scratch):
    folder = scratch()
    edit(folder / "brief.md", "# Introduction {#introduction}",
         "# Policy Recommendations {#policy-recommendations}\n\nDo things.\n\n"
         "# Introduction {#introduction}")
    assert findings(folder) == [
        f"{md(folder, 30)}: error: section 'Policy Recommendations' is generated from "
        "recommendations.yaml (fix: remove this heading and its text from brief.md)"]


def test_no_body(scratch):
    folder = scratch()
    path = folder / "brief.md"
    text = path.read_text(encoding="utf-8")
    body = text[text.index("# The Traffic"):text.index("# Conclusion")]
    path.write_text(text.replace(body, ""), encoding="utf-8")
    edit(folder / "recommendations.yaml", "section: traffic", "section: introduction")
    for _ in range(3):
        edit(folder / "recommendations.yaml", "section: what-should-change",
             "section: introduction")
    assert findings(folder) == [
        f"{md(folder, 39)}: warning: note [^code] is defined but never called: no edition "
        "prints it (fix: call it, `[^code]`, after the words it is for, or delete its "
        "definition)",
        f"{md(folder, 34)}: error: the brief has no body: at least 1 section(s) must stand between "
        "'Introduction' and 'Conclusion' (fix: add the argument as `# Heading {#id}` sections "
        "there)"]


def test_empty_section(scratch):
    folder = scratch()
    edit(folder / "brief.md", "The Arctic will not wait for consensus. Practical steps, taken "
         "now, keep a new ocean from becoming a new hazard.\n", "")
    assert findings(folder) == [
        f"{md(folder, 56)}: error: section 'Conclusion' is empty "
        "(fix: write its text or remove the heading)"]


def test_heading_only_brief(scratch):
    folder = scratch()
    path = folder / "brief.md"
    text = path.read_text(encoding="utf-8")
    front = text[: text.index("# Executive")]
    headings = [line for line in text.splitlines() if line.startswith("# ")]
    path.write_text(front + "\n\n".join(headings) + "\n", encoding="utf-8")
    result = findings(folder)
    assert len(result) == 5
    assert all(message.endswith("is empty (fix: write its text or remove the heading)")
               for message in result)


def test_duplicate_ids(scratch):
    folder = scratch()
    edit(folder / "brief.md", "# What Should Change {#what-should-change}",
         "# What Should Change {#traffic}")
    edit(folder / "recommendations.yaml", "section: what-should-change", "section: traffic", 3)
    edit(folder / "recommendations.yaml", "id: shared-loss-data", "id: common-ice-class")
    assert findings(folder) == [
        f"{md(folder, 48)}: error: duplicate id 'traffic': section 'What Should Change' has the "
        "same id as section 'The Traffic Is Already Here' (line 34) (fix: give one of them another "
        "id)",
        f"{yml(folder, 21)}: error: duplicate id 'common-ice-class': a recommendation has the "
        "same id as a recommendation (line 6) (fix: give one of them another id)",
    ]


def test_an_id_the_word_edition_cannot_carry_is_an_error_whose_fix_names_one(scratch):
    """A Word bookmark name starts with a letter and has at most 40 characters; pandoc names
    any other id by a digest, and the build of the Word edition failed on it (its outline
    missed the section): check refuses it first, with an id made from the title."""
    folder = scratch()
    edit(folder / "brief.md", "# The Traffic Is Already Here {#traffic}",
         "# The Traffic Is Already Here {#traffic}\n\n## 2024 Outlook {#2024-outlook}\n\n"
         "More ships.\n\n## Who Pays {#who-pays-when-a-ship-is-lost-in-the-ice-and-why}\n\n"
         "The insurers.")
    edit(folder / "brief.md", "{#fig-transits", "{#2019-transits")
    edit(folder / "recommendations.yaml", "id: common-ice-class", "id: 1-common-ice-class")
    edit(folder / "recommendations.yaml", "id: search-and-rescue", "id: '2024'")
    rule = ("which the Word edition cannot carry: a Word bookmark name starts with a letter "
            "and has at most 40 characters")
    assert findings(folder) == [
        f"{md(folder, 36)}: error: section '2024 Outlook' has the id '2024-outlook', {rule} "
        "(fix: write `{#outlook}` at the end of its heading line (and the same id in every "
        "`section:` and `@sec-` that names it))",
        f"{md(folder, 40)}: error: section 'Who Pays' has the id "
        f"'who-pays-when-a-ship-is-lost-in-the-ice-and-why', {rule} (fix: write `{{#who-pays}}` "
        "at the end of its heading line (and the same id in every `section:` and `@sec-` that "
        "names it))",
        f"{md(folder, 46)}: error: the figure 'Figure 1' has the id '2019-transits', {rule} "
        "(fix: write `{#transits}` (and the same id in every `@2019-transits`))",
        f"{yml(folder, 6)}: error: a recommendation has the id '1-common-ice-class', {rule} "
        "(fix: use `id: common-ice-class`)",
        f"{yml(folder, 12)}: error: recommendation area 'Search and Rescue' has the id '2024', "
        f"{rule} (fix: use `id: search-and-rescue`)",
    ]


def test_ids_that_start_with_a_letter_and_have_up_to_40_characters_pass(scratch):
    folder = scratch()
    edit(folder / "brief.md", "{#traffic}", "{#t" + "x" * 38 + "}")  # 40 characters
    edit(folder / "recommendations.yaml", "section: traffic", "section: t" + "x" * 38, 3)
    edit(folder / "recommendations.yaml", "id: common-ice-class", "id: c-2024")
    assert findings(folder) == []


def test_an_id_in_other_letters_is_one_the_word_edition_carries(scratch, tmp_path):
    """pandoc's Word writer keeps a bookmark name that starts with a letter of any script:
    the source passes check, the Word edition builds (its outline read back is the
    source's) and its outline names the ids as the source does."""
    folder = scratch()
    edit(folder / "brief.md", "# Conclusion {#conclusion}",
         "## Économie {#économie}\n\nCosts.\n\n## 北極の港 {#北極の港}\n\nPorts.\n\n"
         "# Conclusion {#conclusion}")
    assert findings(folder) == []
    build_dir = tmp_path / "build"
    assert main(["build", str(folder), "--format", "docx", "--build-dir", str(build_dir)]) == 0
    outline = read_outline(build_dir / folder.name / f"{folder.name}.docx")
    assert [(e.title, e.id) for e in outline if e.id in ("économie", "北極の港")] == [
        ("Économie", "économie"), ("北極の港", "北極の港")]
    assert check_outputs(read_brief(folder), build_dir) == []


def test_the_id_a_fix_names_for_an_accented_title_keeps_its_letters(scratch):
    folder = scratch()
    edit(folder / "brief.md", "# The Traffic Is Already Here {#traffic}",
         "# The Traffic Is Already Here {#traffic}\n\n## 2024 Économie de l'Arctique "
         "{#2024-économie}\n\nCosts.")
    [problem] = findings(folder)
    assert "(fix: write `{#economie-de-larctique}` at the end of its heading line" in problem


def test_recommendation_points_nowhere(scratch):
    folder = scratch()
    edit(folder / "recommendations.yaml", "section: traffic", "section: trafic")
    assert findings(folder) == [
        f"{yml(folder, 22)}: error: recommendation 'shared-loss-data' points at section "
        "'trafic', which does not exist (fix: did you mean 'traffic'?)"]


def test_area_without_recommendations(scratch):
    folder = scratch()
    path = folder / "recommendations.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("    recommendations:\n      - id: shared-loss-data")]
                    + "    recommendations: []\n", encoding="utf-8")
    assert findings(folder) == [
        f"{yml(folder, 18)}: error: recommendation area 'Insurance' has no recommendation "
        "(fix: add one under `recommendations:` or remove the area)"]


def test_link_without_target_is_a_warning(scratch):
    folder = scratch()
    edit(folder / "brief.md", "Vessel counts tell the story plainly.",
         "Vessel counts tell the [story][story] plainly.\n\n[story]: <>")
    assert findings(folder) == [
        f"{md(folder, 36)}: warning: link 'story' has no target "
        "(fix: put its URL in the link's reference definition at the end of brief.md)"]


def test_a_note_call_without_its_definition_is_an_error(scratch):
    """pandoc prints an undefined ``[^label]`` as text; a code span's or an escaped one's
    brackets are text as meant."""
    folder = scratch()
    edit(folder / "brief.md", "Vessel counts tell the story plainly.",
         "Vessel counts tell the story plainly.[^counts] See `[^code]` and \\[^x].")
    assert findings(folder) == [
        f"{md(folder, 36)}: error: note [^counts] is called but never defined: every edition "
        'would print "[^counts]" as text (fix: add its definition, `[^counts]: the note\'s '
        "text`, at the end of brief.md, or remove the call)"]


def test_a_note_call_in_a_recommendation_without_its_definition_is_an_error(scratch):
    """A recommendation's Markdown is parsed with brief.md, whose definitions it calls: one
    with none is text in every edition, reported at its line of recommendations.yaml."""
    folder = scratch()
    edit(folder / "recommendations.yaml", "jointly across coastal states.",
         "jointly across coastal states.[^sar] See `[^code]`.")
    assert findings(folder) == [
        f"{yml(folder, 17)}: error: note [^sar] in recommendation 'joint-sar-planning' is "
        'called but never defined: every edition would print "[^sar]" as text (fix: add its '
        "definition, `[^sar]: the note's text`, at the end of brief.md (the notes of "
        "recommendations.yaml and of the bios are defined there), write the note inline, "
        "`^[the note's text]`, or remove the call)"]


def test_a_note_call_in_a_recommendation_is_defined_in_brief_md(scratch):
    """Defined at the end of brief.md, the recommendation's note is a note: no finding."""
    folder = scratch()
    edit(folder / "recommendations.yaml", "jointly across coastal states.",
         "jointly across coastal states.[^sar] And^[Inline.] more.")
    append(folder / "brief.md", "\n[^sar]: As the 2011 agreement sets out.\n")
    assert findings(folder) == []
    brief = read_brief(folder)
    notes = [node for node in blocks.walk(brief.fragments["rec:joint-sar-planning"])
             if isinstance(node, blocks.Note)]
    assert [blocks.stringify(note.content) for note in notes] == [
        "As the 2011 agreement sets out.", "Inline."]


def test_unknown_front_matter_key_with_did_you_mean(scratch):
    folder = scratch()
    edit(folder / "brief.md", "program:", "programme:")
    edit(folder / "brief.md", '    bio: "Ana', '    biography: "Ana')
    assert findings(folder) == [
        f"{md(folder, 5)}: error: unknown key 'programme' (fix: did you mean 'program'?)",
        f"{md(folder, 9)}: error: unknown key 'authors[0].biography' "
        "(fix: known keys: name, affiliation, bio, organization, role, orcid, email)",
    ]


def test_text_before_first_heading(scratch):
    folder = scratch()
    edit(folder / "brief.md", "# Executive Summary", "A stray line.\n\n# Executive Summary")
    assert findings(folder)[0] == (
        f"{md(folder, 25)}: error: text before the first section heading (fix: start the brief "
        "with `# Executive Summary {#executive-summary}` or move the text into a section)")


def test_text_before_first_heading_names_the_first_section_of_the_brief_s_type(scratch):
    """Tester 11: an issue brief opens with its Key Takeaways, not an Executive Summary."""
    folder = scratch()
    edit(folder / "brief.md", "type: policy-brief", "type: issue-brief")
    edit(folder / "brief.md", "# Executive Summary", "A stray line.\n\n# Executive Summary")
    stray = [finding for finding in findings(folder) if "text before the first" in finding]
    assert stray == [f"{md(folder, 25)}: error: text before the first section heading (fix: "
                     "start the brief with `# Key Takeaways {#key-takeaways}` or move the "
                     "text into a section)"]


def test_all_findings_reported_together(scratch):
    folder = scratch()
    edit(folder / "brief.md", "program:", "programme:")
    edit(folder / "recommendations.yaml", "section: traffic", "section: nowhere")
    edit(folder / "brief.md", "The Arctic will not wait for consensus. Practical steps, taken "
         "now, keep a new ocean from becoming a new hazard.\n", "")
    assert [p.split(": error: ")[1][:30] for p in findings(folder)] == [
        "unknown key 'programme' (fix: ", "section 'Conclusion' is empty ",
        "recommendation 'shared-loss-da"]


def entries(*names: str) -> list[OutlineEntry]:
    return [OutlineEntry("section", 1, name, name.title()) for name in names]


def test_compare_outlines_by_id_and_by_title():
    source = entries("a", "b", "c")
    assert compare_outlines(source, entries("a", "b", "c"), "the PDF", "x.pdf") == []
    by_title = [OutlineEntry(e.kind, e.level, "", e.title) for e in source]
    assert compare_outlines(source, by_title, "the PDF", "x.pdf") == []
    missing = compare_outlines(source, entries("a", "c"), "the PDF", "x.pdf")
    assert [str(p) for p in missing] == [
        "x.pdf: error: the PDF is missing section 'B' (b) "
        "(fix: rebuild it with `briefpress build`)"]
    swapped = compare_outlines(source, entries("a", "c", "b"), "the PDF", "x.pdf")
    assert [str(p) for p in swapped] == [
        "x.pdf: error: the PDF has its sections out of order: 'c' stands where the source has "
        "'b' (fix: rebuild it with `briefpress build`)"]
    extra = compare_outlines(source, entries("a", "b", "c", "d"), "the PDF", "x.pdf")
    assert [str(p) for p in extra] == [
        "x.pdf: error: the PDF has section 'D' that the source does not have "
        "(fix: rebuild it with `briefpress build`)"]


def test_a_section_missing_for_an_id_word_cannot_carry_says_so_not_to_build_again():
    """The Word edition names an id that starts with a digit by a digest: building again
    would fail the same way, so the fix names the id's rule."""
    source = entries("a", "2024-outlook")
    [missing, _] = compare_outlines(
        source, entries("a", "X3ffc437427799023603c360657c1842fdcf5eda"), "the DOCX edition",
        "x.docx")
    assert str(missing) == (
        "x.docx: error: the DOCX edition is missing section '2024-Outlook' (2024-outlook) "
        "(fix: give it an id that starts with a letter and has at most 40 characters "
        "(`briefpress check` names one), then build again)")


def test_sections_of_another_type_name_that_type_and_no_moves(scratch):
    folder = scratch()
    edit(folder / "brief.md", "# Executive Summary {#executive-summary}",
         "# Key Takeaways {#key-takeaways}")
    edit(folder / "brief.md", "# Conclusion {#conclusion}", "# Looking Ahead {#ahead}")
    assert findings(folder) == [
        f"{md(folder, 3)}: error: the sections (Key Takeaways, Introduction, The Traffic Is "
        "Already Here, What Should Change, …) do not fit a policy brief (2 finding(s)), but "
        "they fit an issue brief (fix: set `type: issue-brief` in the front matter "
        "(`briefpress doctypes` lists the sections of each type))"]
    edit(folder / "brief.md", "type: policy-brief", "type: issue-brief")
    assert findings(folder) == []
    brief = read_brief(folder)
    assert [s.id for s in brief.sections] == [
        "key-takeaways", "introduction", "traffic", "what-should-change", "ahead",
        "policy-recommendations", "about-the-author"]


def test_a_renamed_required_section_is_named_as_such(scratch):
    folder = scratch()
    path = folder / "brief.md"
    text = path.read_text(encoding="utf-8")
    body = text[text.index("# The Traffic"):text.index("# Conclusion")]
    path.write_text(text.replace(body, "").replace("# Executive Summary {#executive-summary}",
                                                   "# Key Takeaways {#key-takeaways}"),
                    encoding="utf-8")
    found = findings(folder)
    assert (
        f"{md(folder, 24)}: error: section 'Key Takeaways' stands where a policy brief has "
        "'Executive Summary' (fix: write the heading as `# Executive Summary "
        "{#executive-summary}`, or choose the type whose sections these are "
        "(`briefpress doctypes`))") in found
    assert not any("out of order" in f or "move it" in f or "is missing" in f for f in found)


def test_a_commentary_has_no_recommendations_and_is_short(scratch):
    folder = scratch()
    edit(folder / "brief.md", "type: policy-brief", "type: commentary")
    assert findings(folder) == [
        f"{md(folder, 3)}: error: the sections (Executive Summary, Introduction, The Traffic "
        "Is Already Here, What Should Change, …) do not fit a commentary (1 finding(s)), but "
        "they fit a policy brief (fix: set `type: policy-brief` in the front matter "
        "(`briefpress doctypes` lists the sections of each type))"]
    (folder / "recommendations.yaml").unlink()
    assert findings(folder) == []
    other = scratch(slug="with-recommendations")
    assert [str(p) for p in _structure(read_brief(other), load_doctype("commentary"))] == [
        f"{yml(other, 1)}: error: a commentary has no recommendations (fix: remove "
        "recommendations.yaml, or choose a type with recommendations (`briefpress doctypes`))"]
    edit(folder / "brief.md", "Vessel counts tell the story plainly.",
         "Vessel counts tell the story plainly. " + "word " * 1500)
    [long] = findings(folder)
    assert long.startswith(f"{md(folder, 24)}: warning: the text has ")
    assert "a commentary has at most 1500" in long



def test_a_missing_date_is_a_warning_naming_the_print_edition_s_fixed_date(scratch,
                                                                           monkeypatch):
    folder = scratch()
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert [str(p) for p in check_brief(read_brief(folder)) if _no_date(p)] == [
        f"{md(folder, 2)}: warning: the brief has no publication `date:`; its print edition "
        "is dated 1980-01-01 (a press file carries a date, and a build never takes the "
        "clock's) (fix: add `date: YYYY-MM-DD` to the front matter (or YYYY-MM, or YYYY), "
        "or set SOURCE_DATE_EPOCH (seconds since 1970) for the build)"]
    # SOURCE_DATE_EPOCH dates the editions: only the publication date is missing
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert [str(p) for p in check_brief(read_brief(folder)) if _no_date(p)] == [
        f"{md(folder, 2)}: warning: the brief has no publication `date:` (fix: add "
        "`date: YYYY-MM-DD` to the front matter (or YYYY-MM, or YYYY))"]
    edit(folder / "brief.md", "lang: en-US\n", "lang: en-US\ndate: 2025-06\n")
    assert not any(_no_date(p) for p in check_brief(read_brief(folder)))


def test_front_matter_findings_stand_on_their_key_not_on_a_body_line_like_it(scratch,
                                                                             monkeypatch):
    """The line of a front-matter key is where YAML read it (here quoted, as YAML allows),
    never a line of the body that reads like it: "title:" and "authors:" opening a
    paragraph once took the missing date's and the missing bios' findings there."""
    folder = scratch()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    text = (folder / "brief.md").read_text(encoding="utf-8")
    text = text.replace("\ntitle:", '\n"title":', 1).replace("\nauthors:", '\n"authors":', 1)
    text = "".join(line for line in text.splitlines(keepends=True) if "bio:" not in line)
    text = text.replace("Vessel counts tell the story plainly.",
                        "title: the word opens this line.\nauthors: and so does this one.")
    (folder / "brief.md").write_text(text, encoding="utf-8")
    assert [str(p) for p in check_brief(read_brief(folder))] == [
        f"{md(folder, 6)}: error: no author has a bio: the section 'About the Authors' would "
        "be empty (fix: add `bio:` under the author)",
        f"{md(folder, 2)}: warning: the brief has no publication `date:` (fix: add "
        "`date: YYYY-MM-DD` to the front matter (or YYYY-MM, or YYYY))"]
    edit(folder / "brief.md", '"title": "Shipping', 'subtitle: Routes\n"title": "Shipping')
    assert [p.line for p in check_brief(read_brief(folder))] == [7, 3]


def test_recommendation_findings_stand_on_their_key_as_yaml_reads_it(scratch):
    """An area's, a recommendation's id and its ``section:`` are located where YAML read
    them: in any order of the keys, and never at a line of a text that reads like a key."""
    folder = scratch()
    recs = folder / "recommendations.yaml"
    edit(recs, """      - id: shared-loss-data
        section: traffic
        text: "Pool loss data so that premiums follow risk."
""", """      - text: |
          Pool loss data so that premiums follow risk.
          id: common-ice-class
          section: trafic
        section: trafic
        id: common-ice-class
""")
    assert findings(folder) == [
        f"{yml(folder, 26)}: error: duplicate id 'common-ice-class': a recommendation has the "
        "same id as a recommendation (line 6) (fix: give one of them another id)",
        f"{yml(folder, 25)}: error: recommendation 'common-ice-class' points at section "
        "'trafic', which does not exist (fix: did you mean 'traffic'?)"]


def test_a_bad_source_date_epoch_leaves_check_to_say_the_rest(scratch, monkeypatch):
    """check reads no SOURCE_DATE_EPOCH of its own (a build refuses a bad one first): an
    undated brief is still checked, its date warning without the print edition's date."""
    folder = scratch()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "abc")
    assert [str(p) for p in check_brief(read_brief(folder)) if _no_date(p)] == [
        f"{md(folder, 2)}: warning: the brief has no publication `date:` (fix: add "
        "`date: YYYY-MM-DD` to the front matter (or YYYY-MM, or YYYY))"]


def test_a_build_of_the_print_edition_says_the_date_it_will_carry(scratch, monkeypatch):
    """A build leaves the readiness warnings out, but for the one an edition it renders
    needs: the press file of an undated brief carries the fixed date, and a printer reads
    it. Said once, and not when SOURCE_DATE_EPOCH gives the date."""
    brief = read_brief(scratch())
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)

    def dates(building: list[str]) -> list[str]:
        return [p.message for p in check_brief(brief, readiness=False, building=building)
                if _no_date(p)]

    assert dates([]) == dates(["pdf", "docx", "html"]) == []
    [said] = dates(["pdf", "print", "html"])
    assert "its print edition is dated 1980-01-01" in said
    assert [p.message for p in check_brief(brief, building=["print"]) if _no_date(p)] == [said]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert dates(["print"]) == []


def new_brief_in(tmp_path: Path, doctype: str = "policy-brief") -> Path:
    folder = tmp_path / "content" / "draft"
    folder.mkdir(parents=True)
    for name, text in new_files("draft", content=tmp_path / "content", doctype=doctype).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def placeholder_lines(folder: Path) -> list[str]:
    return [f"{Path(p.file).name}:{p.line}: {p.message.split(' from ')[0]}"
            for p in check_placeholders(read_brief(folder))]


def test_every_placeholder_left_half_replaced_is_found(tmp_path):
    """The tester's draft: the name and every "Replace this…" sentence replaced; the
    subtitle, the program, a clause of the argument's paragraph, the area's title still the
    scaffold's. The bio, "Ana Lind is a fellow with the program. Real text.", is the
    writer's: a real bio says so too (see the tests below)."""
    folder = new_brief_in(tmp_path)
    for name in ("brief.md", "recommendations.yaml"):
        text = (folder / name).read_text(encoding="utf-8").replace("Author Name", "Ana Lind")
        text = re.sub(r"Replace this [^.\"]*\.", "Real text.", text)
        (folder / name).write_text(text, encoding="utf-8")
    assert placeholder_lines(folder) == [
        "brief.md:3: placeholder text 'A subtitle that says what the brief argues'",
        "brief.md:6: placeholder text 'Name of the program or center'",
        "brief.md:9: placeholder text 'Name of the program or center'",
        # the publisher's block, written to be filled in where the project has none
        "brief.md:12: placeholder text 'Full legal name of the publisher'",
        "brief.md:13: placeholder text 'Publisher'",
        "brief.md:15: placeholder text 'Street address'",
        "brief.md:16: placeholder text 'City, postal code'",
        "brief.md:17: placeholder text 'https://www.example.org'",
        "brief.md:31: placeholder text 'Give every section an id in braces;'",
        "recommendations.yaml:6: placeholder text 'First Area'"]


SCAFFOLD_BIO = ('    bio: "Author Name is a fellow with the program. Replace this with the '
                "author's bio.\"\n")


def test_a_bio_still_the_placeholders_is_found_however_written(tmp_path):
    """Only the name replaced, or the placeholder folded over several YAML lines: the
    bio's value is still the scaffold's, at the line of the bio."""
    folder = new_brief_in(tmp_path)
    edit(folder / "brief.md", SCAFFOLD_BIO,
         '    bio: "Ana Lind is a fellow with the program."\n')
    assert "brief.md:10: placeholder text 'is a fellow with the program.'" in \
        placeholder_lines(folder)
    edit(folder / "brief.md", '    bio: "Ana Lind is a fellow with the program."\n',
         "    bio: >\n      Author Name is a fellow with\n      the program. Replace this with"
         "\n      the author's bio.\n")
    assert "brief.md:10: placeholder text \"Replace this with the author's bio.\"" in \
        placeholder_lines(folder)


def test_a_real_bio_or_area_sharing_words_with_a_placeholder_is_not_one(tmp_path):
    """A bio that says its author is a fellow with the program and goes on; an area whose
    title begins with the placeholder's ("First Area Studies": the placeholder is the whole
    title, and a title that only begins with it is the writer's); the placeholder's words
    in the body, outside the field they were written in."""
    folder = new_brief_in(tmp_path)
    edit(folder / "brief.md", SCAFFOLD_BIO,
         '    bio: "Ana Lind is a fellow with the program. She studied hydrology in Delft."\n')
    edit(folder / "recommendations.yaml", "title: First Area", "title: First Area Studies")
    edit(folder / "brief.md", "Replace this paragraph with the executive summary.",
         "The First Area of concern is water. Ana Lind is a fellow with the program.")
    found = placeholder_lines(folder)
    assert not [line for line in found if line.startswith(("brief.md:10:", "brief.md:24:",
                                                           "recommendations.yaml:6:"))]
    assert not [line for line in found if "First Area" in line or "fellow" in line]


@pytest.mark.parametrize("doctype", known_doctypes())
def test_every_line_the_scaffold_marks_a_placeholder_is_found(tmp_path, doctype):
    """What templates/new/ marks `{% filter placeholder %}`, and nothing else, is found."""
    folder = new_brief_in(tmp_path, doctype)
    marked = []
    for name in ("brief.md", "recommendations.yaml"):
        if (folder / name).is_file():
            lines = (folder / name).read_text(encoding="utf-8").splitlines()
            marked += [f"{name}:{number}" for number, line in enumerate(lines, start=1)
                       if any(text in line for text in placeholders())]
    assert [line.split(": ")[0] for line in placeholder_lines(folder)] == marked
    assert len(marked) >= 5


@pytest.fixture
def built_html(scratch, tmp_path: Path) -> tuple[Path, Path]:
    """The fixture brief with its web page built: (its folder, the build folder)."""
    folder = scratch()
    build_dir = tmp_path / "build"
    assert main(["build", str(folder), "--format", "html", "--build-dir", str(build_dir)]) == 0
    return folder, build_dir


def test_a_stale_edition_s_fix_rebuilds_that_edition(built_html, capsys):
    folder, build_dir = built_html
    edit(folder / "recommendations.yaml", "  - id: search-and-rescue\n",
         "      - id: one-more\n        section: traffic\n        text: \"One more.\"\n"
         "  - id: search-and-rescue\n")
    stale = [str(p) for p in check_outputs(read_brief(folder), build_dir)]
    assert stale == [
        f"{build_dir / folder.name / 'index.html'}: error: the HTML edition is missing "
        f"recommendation 'one-more' (fix: rebuild it with `briefpress build "
        f"{folder} --format html --build-dir {build_dir}`)"]


def test_a_stale_edition_is_one_line_whatever_its_differences(built_html):
    """Tester 11: a section's id renamed gave six lines for each built edition, each with
    the same rebuild: one line per edition names the first difference and counts the rest."""
    folder, build_dir = built_html
    edit(folder / "brief.md", "{#traffic}", "{#traffic-now}")
    edit(folder / "recommendations.yaml", "section: traffic\n", "section: traffic-now\n", 9)
    stale = [p for p in check_outputs(read_brief(folder), build_dir)]
    assert len(stale) == 1
    assert stale[0].message.startswith("the HTML edition is missing section ")
    assert re.search(r", and \d+ more differences? from the source$", stale[0].message)
    assert stale[0].fix.startswith("rebuild it with `briefpress build")


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_a_damaged_edition_s_fix_rebuilds_that_edition(scratch, tmp_path, name):
    """Every edition, the print one included, which a plain `briefpress build` does not make:
    the fix names its own format."""
    folder = scratch()
    build_dir = tmp_path / "build"
    output = FORMATS[name].output(build_dir, folder.name)
    output.parent.mkdir(parents=True)
    output.write_bytes(b"")
    # one finding (an unreadable PDF) or one per missing entry (an empty text): each the same fix
    damaged = check_outputs(read_brief(folder), build_dir)
    assert {problem.fix for problem in damaged} == {
        f"rebuild it with `briefpress build {folder} --format {name} --build-dir {build_dir}`"}


def test_an_edition_older_than_its_sources_is_a_warning_with_its_rebuild(built_html, capsys):
    """A paragraph edited: the outline is the same, but the edition's key (as build takes
    it) is not the one it was built from; the fix rebuilds it with the options it was
    built with."""
    folder, build_dir = built_html
    assert check_outputs(read_brief(folder), build_dir) == []  # just built: current
    assert main(["build", str(folder), "--format", "docx", "--page-size", "a4",
                 "--build-dir", str(build_dir)]) == 0
    # the web page lists the editions beside it: its own sources did not change
    assert [str(p) for p in check_outputs(read_brief(folder), build_dir)] == [
        f"{build_dir / folder.name / 'index.html'}: warning: the HTML edition is older than "
        f"the DOCX edition it lists, built again or removed since it was built (fix: rebuild "
        f"it with `briefpress build {folder} --format html --build-dir {build_dir}`)"]
    assert main(["build", str(folder), "--format", "html", "--build-dir", str(build_dir)]) == 0
    assert check_outputs(read_brief(folder), build_dir) == []
    edit(folder / "brief.md", "Rules written for a frozen ocean now govern a busy one.",
         "Rules written for a frozen ocean now govern a crowded one.")
    stale = check_outputs(read_brief(folder), build_dir)
    older = ("edition is older than its sources (the brief, or the templates, styles, "
             "briefpress.yaml or brand it is made with, or briefpress itself, changed since it "
             "was built)")
    assert [str(p) for p in stale] == [
        f"{build_dir / folder.name / (folder.name + '.docx')}: warning: the DOCX {older} (fix: "
        f"rebuild it with `briefpress build {folder} --format docx --page-size a4 --build-dir "
        f"{build_dir}`)",
        f"{build_dir / folder.name / 'index.html'}: warning: the HTML {older} (fix: rebuild it "
        f"with `briefpress build {folder} --format html --build-dir {build_dir}`)"]
    assert main(["build", str(folder), "--format", "docx,html", "--page-size", "a4",
                 "--build-dir", str(build_dir)]) == 0
    assert check_outputs(read_brief(folder), build_dir) == []


def test_a_paper_size_the_config_gave_is_the_config_s_to_give_again(scratch, tmp_path, capsys):
    """Built without --page-size: the config decided, and decides again. Changed to A4 in
    briefpress.yaml, the edition is older than its sources, and the fix builds it on A4
    (not on the Letter it was built with), which check then finds current."""
    import docx

    folder = scratch()
    build_dir = tmp_path / "build"
    assert main(["build", str(folder), "--format", "docx", "--build-dir", str(build_dir)]) == 0
    from briefpress.support import cache
    recorded = cache.load_record(build_dir / folder.name).editions["docx"]
    assert recorded.options is not None and recorded.options.page_size is None  # not asked
    (tmp_path / "briefpress.yaml").write_text("page_size: a4\n", encoding="utf-8")
    [older] = check_outputs(read_brief(folder), build_dir)
    command = f"briefpress build {folder} --format docx --build-dir {build_dir}"
    assert "older than its sources" in older.message and "briefpress.yaml" in older.message
    assert older.fix == f"rebuild it with `{command}`"
    assert main(command.split()[1:]) == 0
    assert check_outputs(read_brief(folder), build_dir) == []
    section = docx.Document(str(build_dir / folder.name / f"{folder.name}.docx")).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    # typed, a paper size is named in the fix, and kept whatever the config says
    assert main([*command.split()[1:], "--page-size", "letter"]) == 0
    assert check_outputs(read_brief(folder), build_dir) == []
    edit(folder / "brief.md", "govern a busy one.", "govern a crowded one.")
    [older] = check_outputs(read_brief(folder), build_dir)
    assert older.fix == (f"rebuild it with `briefpress build {folder} --format docx "
                         f"--page-size letter --build-dir {build_dir}`")


def test_the_fix_repeats_the_options_of_the_latest_build_that_covered_the_edition(
        scratch, tmp_path, capsys):
    """Built with --page-size a4 in a project whose config says a4, then built plainly: the
    edition is up to date (the same paper), and the record takes the plain build's options,
    so that once the config says letter the fix leaves the paper to it again, as the user
    last asked. A build that changes nothing in the record does not write it."""
    from briefpress.support import cache

    folder = scratch()
    build_dir = tmp_path / "build"
    config = tmp_path / "briefpress.yaml"
    config.write_text("page_size: a4\n", encoding="utf-8")
    command = ["build", str(folder), "--format", "docx", "--build-dir", str(build_dir)]
    assert main([*command, "--page-size", "a4"]) == 0
    record = build_dir / folder.name / cache.RECORD
    assert cache.load_record(record.parent).editions["docx"].options.page_size == "a4"
    capsys.readouterr()
    assert main(command) == 0
    assert capsys.readouterr().out.startswith("up to date ")
    assert cache.load_record(record.parent).editions["docx"].options.page_size is None
    written = os.stat(record)
    assert main(command) == 0  # up to date, the record as it is: not written again
    assert (os.stat(record).st_ino, os.stat(record).st_mtime_ns) == (written.st_ino,
                                                                     written.st_mtime_ns)
    config.write_text("page_size: letter\n", encoding="utf-8")
    [older] = check_outputs(read_brief(folder), build_dir)
    assert older.fix == (f"rebuild it with `briefpress build {folder} --format docx "
                         f"--build-dir {build_dir}`")


def test_an_edition_built_with_source_date_epoch_is_checked_and_rebuilt_with_it(
        scratch, tmp_path, capsys, monkeypatch):
    """The epoch is in the key: check takes the one the edition was built with (not the
    environment's), and its fix sets it again."""
    folder = scratch()
    build_dir = tmp_path / "build"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert main(["build", str(folder), "--format", "docx", "--build-dir", str(build_dir)]) == 0
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert check_outputs(read_brief(folder), build_dir) == []
    edit(folder / "brief.md", "govern a busy one.", "govern a crowded one.")
    [older] = check_outputs(read_brief(folder), build_dir)
    assert older.fix == (f"rebuild it with `SOURCE_DATE_EPOCH=1700000000 briefpress build "
                         f"{folder} --format docx --build-dir {build_dir}`")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert main(["build", str(folder), "--format", "docx", "--build-dir", str(build_dir)]) == 0
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert check_outputs(read_brief(folder), build_dir) == []


def test_editions_are_not_compared_while_the_source_has_an_error(built_html, capsys):
    """A section moved and one removed: the source's errors, not a rebuild nobody can make."""
    folder, build_dir = built_html
    text = (folder / "brief.md").read_text(encoding="utf-8")
    traffic = text[text.index("# The Traffic"):text.index("# What Should Change")]
    text = text.replace(traffic, "").replace("# Conclusion {#conclusion}\n", "")
    (folder / "brief.md").write_text(text.replace("# Introduction", traffic + "# Introduction"),
                                     encoding="utf-8")
    assert main(["check", str(folder), "--build-dir", str(build_dir)]) == 1
    err = capsys.readouterr().err
    assert "required section 'Conclusion' is missing" in err
    assert "the HTML edition" not in err and "rebuild" not in err


def test_the_ids_a_fix_offers_are_each_named_once(scratch):
    folder = scratch()
    edit(folder / "brief.md", "{#what-should-change}", "{#traffic}")
    edit(folder / "recommendations.yaml", "section: what-should-change", "section: nowhere-near")
    [pointing] = [f for f in findings(folder) if "nowhere-near" in f]
    assert pointing.endswith("(fix: use a section id of brief.md (executive-summary, "
                             "introduction, traffic, conclusion…))")


def test_a_note_defined_twice_is_an_error(scratch):
    """pandoc gives both calls the last definition's text: the first note is lost from every
    edition (as when an import gave a new note a label the brief already had)."""
    folder = scratch()
    line = append(folder / "brief.md", "[^transits]: Another note.\n")
    assert findings(folder) == [
        f"{md(folder, line)}: error: note [^transits] is defined twice: every edition shows "
        "this definition's text at each call of it, and the other's nowhere (fix: give one of "
        "the two notes a label of its own, `[^transits-2]:`, and its call too)"]


def test_a_note_no_text_calls_is_a_warning_naming_it(scratch):
    """pandoc drops a note that nothing calls: check says so in words, with its line."""
    folder = scratch()
    line = append(folder / "brief.md", "[^orphan]: A note nobody calls.\n")
    assert findings(folder) == [
        f"{md(folder, line)}: warning: note [^orphan] is defined but never called: no "
        "edition prints it (fix: call it, `[^orphan]`, after the words it is for, or delete "
        "its definition)"]


def test_a_note_called_only_from_a_recommendation_is_used(scratch):
    folder = scratch()
    append(folder / "brief.md", "[^rec-note]: Called from the YAML.\n")
    edit(folder / "recommendations.yaml", "premiums follow risk", "premiums follow risk[^rec-note]")
    assert findings(folder) == []


# the raw-HTML balance check reads tags as an HTML tokenizer does, not by pattern

RAW_HTML_SENTENCE = "They are seasonal highways with too few exits."


@pytest.mark.parametrize("html", [
    'with <span title="a > b">a quoted angle bracket</span> in it.',
    "with <!-- <b> in a comment --> a comment.",
    "with a self-closed <span/> and a void <br> element.",
    "with <SPAN>upper-case</span> names.",
])
def test_balanced_raw_html_passes(scratch, html):
    folder = scratch()
    edit(folder / "brief.md", RAW_HTML_SENTENCE, f"{RAW_HTML_SENTENCE} A sentence {html}")
    assert [str(p) for p in check_brief(read_brief(folder)) if p.severity == "error"] == []


def test_an_unclosed_tag_is_found_on_its_line(scratch):
    folder = scratch()
    edit(folder / "brief.md", RAW_HTML_SENTENCE,
         f'{RAW_HTML_SENTENCE} Some <b class="x>y">bold text.')
    problems = [p for p in check_brief(read_brief(folder)) if "raw HTML" in p.message]
    assert [(p.line, p.message) for p in problems] == [
        (32, "raw HTML opens <b> and never closes it")]


def test_straight_quotes_in_the_title_are_warned_of_where_the_text_curls_its_own(scratch):
    """Tester 11: "Why the High North's ports can't wait" printed straight on the cover,
    the page's title and the Word title, beside a body whose apostrophes are curled."""
    folder = scratch()
    edit(folder / "brief.md", "\ntype: ",
         "\nsubtitle: \"Why the North's \\\"ports\\\" wait\"\ntype: ")
    found = [p for p in check_brief(read_brief(folder)) if "straight quotes" in p.message]
    line = next(n for n, text in enumerate(
        (folder / "brief.md").read_text(encoding="utf-8").splitlines(), 1)
        if text.startswith("subtitle:"))
    assert [(p.line, p.severity, p.message.split(",")[0]) for p in found] == [
        (line, "warning", "the subtitle has straight quotes (\" ')")]
    assert not [p for p in check_brief(read_brief(folder), readiness=False)
                if "straight quotes" in p.message]  # a build does not repeat it
    edit(folder / "brief.md", "\"Why the North's \\\"ports\\\" wait\"",
         "\"Why the North’s ports wait\"")
    assert not [p for p in check_brief(read_brief(folder)) if "straight quotes" in p.message]


def test_straight_quotes_in_an_area_title_are_warned_of_at_its_line(scratch):
    folder = scratch()
    edit(folder / "recommendations.yaml", "title: Search and Rescue",
         "title: Rescue's \"Core\"")
    line = next(n for n, text in enumerate(
        (folder / "recommendations.yaml").read_text(encoding="utf-8").splitlines(), 1)
        if "Rescue's" in text)
    found = [p for p in check_brief(read_brief(folder)) if "straight quotes" in p.message]
    assert [(p.file.name, p.line, p.message.split(" has")[0]) for p in found] == [
        ("recommendations.yaml", line, "the title of area 'search-and-rescue'")]


def test_no_area_is_said_at_areas_line_with_what_to_give(scratch):
    """Tester 12: `areas: []` (an import that removed the last area writes it) was said at
    the file's first line, a comment, with "add `areas:`" though it was there."""
    folder = scratch()
    path = folder / "recommendations.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("areas:")] + "areas: []\n", encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index("areas: []") + 1
    [problem] = [p for p in check_brief(read_brief(folder))
                 if p.message.startswith("no recommendation areas")]
    assert (problem.line, problem.fix) == (
        line, "give `areas:` at least one area with a recommendation under it")
