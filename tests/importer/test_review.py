"""importer/review.py: every tracked change and comment of a .docx, with author and section.

The package is built in memory from a few hand-written parts: the XML below is test input,
as Word would write it, not something briefpress serialises.
"""

from __future__ import annotations

from pathlib import Path

from briefpress.importer.review import Comment, Revision, label_notes, read_review
from briefpress.support.docx_open import Package

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
      'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"')
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ED = 'w:author="Ed" w:date="2026-03-04T05:06:07Z"'

STYLES = f"""<w:styles {NS}>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>
<w:style w:type="paragraph" w:styleId="Bibliography"><w:name w:val="Bibliography"/></w:style>
</w:styles>"""


def heading(text: str, bookmark: str) -> str:
    return (f'<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr>'
            f'<w:bookmarkStart w:id="9{bookmark}" w:name="{bookmark}"/><w:r><w:t>{text}</w:t>'
            f'</w:r><w:bookmarkEnd w:id="9{bookmark}"/></w:p>')


def package(body: str, comments: str = "", extended: str = "", footnotes: str = "") -> Package:
    rels = [("comments", "comments.xml", comments), ("commentsExtended",
            "commentsExtended.xml", extended), ("footnotes", "footnotes.xml", footnotes)]
    parts = {
        "word/document.xml": f"<w:document {NS}><w:body>{body}</w:body></w:document>",
        "word/styles.xml": STYLES,
        "word/_rels/document.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships">' + "".join(
                f'<Relationship Id="r{n}" Type="{RELS}/{kind}" Target="{target}"/>'
                for n, (kind, target, text) in enumerate(rels) if text)
            + "</Relationships>"),
    }
    parts.update({f"word/{target}": text for _, target, text in rels if text})
    return Package(Path("edited.docx"), {k: v.encode() for k, v in parts.items()},
                   "word/document.xml")


def test_revisions_with_their_kind_author_date_and_section():
    body = (
        f'<w:p><w:ins {ED}><w:r><w:t>Title words</w:t></w:r></w:ins></w:p>'
        + heading("Intro", "intro")
        + f'<w:p><w:r><w:t>Kept </w:t></w:r>'
          f'<w:ins {ED}><w:r><w:t xml:space="preserve">two </w:t></w:r></w:ins>'
          f'<w:ins {ED}><w:r><w:t>runs</w:t></w:r></w:ins>'
          f'<w:del w:author="Ann" w:date=""><w:r><w:delText>gone  text</w:delText></w:r></w:del>'
          f'<w:moveFrom {ED}><w:r><w:t>moved</w:t></w:r></w:moveFrom></w:p>'
        + heading("Second part", "second")
        + f'<w:p><w:pPr><w:rPr><w:ins {ED}/></w:rPr></w:pPr><w:r><w:t>New para</w:t></w:r></w:p>'
        + f'<w:p><w:r><w:rPr><w:b/><w:rPrChange {ED}><w:rPr/></w:rPrChange></w:rPr>'
          f'<w:t>bold now</w:t></w:r></w:p>'
        + '<w:p><w:moveTo><w:r><w:t>moved</w:t></w:r></w:moveTo></w:p>')
    review = read_review(package(body))
    date = "2026-03-04T05:06:07Z"
    assert review.revisions == [
        Revision("inserted", "Ed", date, "the title block", "Title words"),
        Revision("inserted", "Ed", date, "Intro (#intro)", "two runs"),  # two runs, one change
        Revision("deleted", "Ann", "", "Intro (#intro)", "gone text"),
        Revision("moved away", "Ed", date, "Intro (#intro)", "moved"),
        # only its break is new: Enter was pressed after "New para", the words are old
        Revision("paragraph split", "Ed", date, "Second part (#second)", "New para"),
        Revision("formatting changed", "Ed", date, "Second part (#second)", "bold now"),
        Revision("moved here", "unknown", "", "Second part (#second)", "moved"),
    ]
    assert review.comments == []


def test_a_paragraph_split_is_named_by_its_words_as_they_now_read():
    """Tester 6's m4: a paragraph split whose words were also retyped was quoted with the old
    and the new words run together ("strengtheninggrown, evolved")."""
    body = (heading("Intro", "intro")
            + f'<w:p><w:pPr><w:rPr><w:ins {ED}/></w:rPr></w:pPr>'
              f'<w:r><w:t xml:space="preserve">have </w:t></w:r>'
              f'<w:del {ED}><w:r><w:delText>grown, evolving</w:delText></w:r></w:del>'
              f'<w:ins {ED}><w:r><w:t>grown, evolved</w:t></w:r></w:ins>'
              f'<w:r><w:t xml:space="preserve"> since.</w:t></w:r></w:p>'
            + '<w:p><w:r><w:t>Second half.</w:t></w:r></w:p>')
    split = [r for r in read_review(package(body)).revisions if r.kind == "paragraph split"]
    assert [r.text for r in split] == ["have grown, evolved since."]


def test_a_change_in_the_list_of_sources_is_said_to_be_there():
    """Tester 6's m2: the list of works cited has no heading of its own; a correction in it
    was said to be in the section before it (About the Authors)."""
    body = (heading("About the Authors", "about")
            + '<w:p><w:r><w:t>A bio.</w:t></w:r></w:p>'
            + '<w:p><w:pPr><w:pStyle w:val="Bibliography"/></w:pPr><w:r><w:t>Sources</w:t>'
              '</w:r></w:p>'
            + f'<w:p><w:pPr><w:pStyle w:val="Bibliography"/></w:pPr><w:r><w:t>Journal of '
              f'Water Law</w:t></w:r><w:ins {ED}><w:r><w:t xml:space="preserve"> and Policy'
              f'</w:t></w:r></w:ins></w:p>')
    assert [(r.section, r.text) for r in read_review(package(body)).revisions] == [
        ("Sources (the list of works cited)", "and Policy")]


def test_insertions_by_different_authors_or_at_different_times_stay_apart():
    body = (f'<w:p><w:ins {ED}><w:r><w:t>one</w:t></w:r></w:ins>'
            f'<w:ins w:author="Ann" w:date="2026-03-04T05:06:07Z"><w:r><w:t>two</w:t></w:r>'
            f'</w:ins><w:ins w:author="Ann" w:date="2026-03-05T00:00:00Z"><w:r><w:t>three</w:t>'
            f'</w:r></w:ins></w:p>')
    assert [(r.author, r.text) for r in read_review(package(body)).revisions] == [
        ("Ed", "one"), ("Ann", "two"), ("Ann", "three")]


def test_comments_with_anchors_replies_and_resolution():
    body = (heading("Intro", "intro")
            + '<w:p><w:r><w:t xml:space="preserve">Before </w:t></w:r>'
              '<w:commentRangeStart w:id="0"/><w:r><w:t>anchored</w:t></w:r></w:p>'
            + '<w:p><w:r><w:t>words</w:t></w:r><w:commentRangeEnd w:id="0"/>'
              '<w:r><w:commentReference w:id="0"/></w:r>'
              '<w:r><w:commentReference w:id="1"/></w:r></w:p>')
    comments = (
        f'<w:comments {NS}>'
        f'<w:comment w:id="0" {ED}><w:p w14:paraId="AAAA0001"><w:r><w:t>Is this</w:t></w:r>'
        f'</w:p><w:p w14:paraId="AAAA0002"><w:r><w:t>right?</w:t></w:r></w:p></w:comment>'
        f'<w:comment w:id="1" w:author="Ann"><w:p w14:paraId="BBBB0001"><w:r><w:t>Yes.</w:t>'
        f'</w:r></w:p></w:comment></w:comments>')
    extended = (f'<w15:commentsEx {NS}><w15:commentEx w15:paraId="AAAA0002" w15:done="0"/>'
                f'<w15:commentEx w15:paraId="BBBB0001" w15:paraIdParent="AAAA0002" '
                f'w15:done="1"/></w15:commentsEx>')
    review = read_review(package(body, comments, extended))
    assert review.comments == [
        Comment("0", "Ed", "2026-03-04T05:06:07Z", "Intro (#intro)", "anchored words",
                "Is this\nright?"),
        Comment("1", "Ann", "", "Intro (#intro)", "", "Yes.", reply_to="0", resolved=True),
    ]
    assert review.revisions == []


def test_comments_without_the_extended_part_are_neither_replies_nor_resolved():
    body = '<w:p><w:r><w:t>x</w:t><w:commentReference w:id="5"/></w:r></w:p>'
    comments = (f'<w:comments {NS}><w:comment w:id="5"><w:p><w:r><w:t>note</w:t></w:r></w:p>'
                f'</w:comment></w:comments>')
    assert read_review(package(body, comments)).comments == [
        Comment("5", "unknown", "", "the title block", "", "note")]


def test_revisions_in_footnotes_name_the_footnote():
    footnotes = (f'<w:footnotes {NS}><w:footnote w:type="separator" w:id="-1"><w:p><w:ins {ED}>'
                 f'<w:r><w:t>ignored</w:t></w:r></w:ins></w:p></w:footnote>'
                 f'<w:footnote w:id="1"><w:p><w:del {ED}><w:r><w:delText>old source</w:delText>'
                 f'</w:r></w:del></w:p></w:footnote></w:footnotes>')
    review = read_review(package("<w:p/>", footnotes=footnotes))
    assert review.revisions == [
        Revision("deleted", "Ed", "2026-03-04T05:06:07Z", "footnote 1", "old source", "1")]


def test_enter_at_the_end_of_a_paragraph_is_a_new_paragraph_after_it():
    """LibreOffice and Word record Enter at the end of P, then typing, as P's mark inserted
    and the next paragraph's words inserted: P is unchanged, the next one is new."""
    mark = f'<w:pPr><w:rPr><w:ins {ED}/></w:rPr></w:pPr>'
    body = (heading("Intro", "intro")
            + f'<w:p>{mark}<w:r><w:t>Old paragraph.</w:t></w:r></w:p>'
            + f'<w:p><w:ins {ED}><w:r><w:t>New one.</w:t></w:r></w:ins></w:p>')
    assert read_review(package(body)).revisions == [
        Revision("paragraph inserted", "Ed", "2026-03-04T05:06:07Z", "Intro (#intro)",
                 "New one.")]


def test_a_deleted_paragraph_and_a_deleted_heading_are_reported_whole():
    """A paragraph deleted with the break before it, and a heading whose words and mark are
    deleted (LibreOffice keeps its paragraph): each once, with the text it had, the heading
    under its own title."""
    mark = f'<w:pPr><w:rPr><w:del {ED}/></w:rPr></w:pPr>'
    body = (heading("Intro", "intro")
            + f'<w:p>{mark}<w:r><w:t>Kept.</w:t></w:r></w:p>'
            + f'<w:p><w:del {ED}><w:r><w:delText>Gone.</w:delText></w:r></w:del></w:p>'
            + f'<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:rPr><w:del {ED}/></w:rPr></w:pPr>'
              f'<w:bookmarkStart w:id="1" w:name="old"/><w:del {ED}><w:r><w:delText>Old part'
              f'</w:delText></w:r></w:del></w:p><w:bookmarkEnd w:id="1"/>')
    # (the heading's bookmark runs on past its paragraph, as LibreOffice writes a section's)
    date = "2026-03-04T05:06:07Z"
    assert read_review(package(body)).revisions == [
        Revision("paragraph deleted", "Ed", date, "Intro (#intro)", "Gone."),
        Revision("paragraph deleted", "Ed", date, "Old part (#old)", "Old part")]


def test_a_footnote_put_in_shows_its_text_and_takes_the_source_label():
    footnotes = (f'<w:footnotes {NS}><w:footnote w:id="2"><w:p><w:ins {ED}><w:r>'
                 f'<w:t>As the Baltic ports do.</w:t></w:r></w:ins></w:p></w:footnote>'
                 f'</w:footnotes>')
    body = (heading("Intro", "intro")
            + f'<w:p><w:r><w:t>Shared.</w:t></w:r><w:ins {ED}><w:r>'
              f'<w:footnoteReference w:id="2"/></w:r></w:ins></w:p>')
    review = read_review(package(body, footnotes=footnotes))
    label_notes(review, {"share": "Port returns.", "3": "As the Baltic ports do."})
    assert review.revisions == [
        Revision("footnote inserted", "Ed", "2026-03-04T05:06:07Z", "Intro (#intro)",
                 "[^3]: As the Baltic ports do.", "2")]
