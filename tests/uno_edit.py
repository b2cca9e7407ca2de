"""Turn .docx files and lists of editing steps into edited .docx files, with LibreOffice.

Run by Debian's ``/usr/bin/python3`` (where ``python3-uno`` lives), not by the test
suite's virtualenv: ``tests/uno_office.py`` starts ``soffice`` listening on a port and
runs this script with that port, a JSON list of jobs on stdin, and reads one JSON result
per job on stdout (``PORT --terminate`` asks that soffice to quit). Each job opens a
file hidden, turns Track Changes on (the document property ``RecordChanges``), makes its
steps as an editor would through the text model (typing, deleting, Enter, cut and
paste), and stores the file with LibreOffice's Word 2007-365 filter. A step finds its
place by a phrase of the text, as an editor finds it by eye; a phrase that is not there
fails the job.

Steps (``op`` and its fields):

- ``replace`` ``find``, ``with``: select the phrase and type over it.
- ``type`` ``after``, ``text``: type text just after the phrase.
- ``delete`` ``find``: select the phrase and delete it.
- ``paragraph`` ``after``, ``text``, optional ``style``: Enter at the end of the phrase's
  paragraph, then type; with ``style``, the new paragraph is given that paragraph style (as
  an editor picks it in the list of styles).
- ``delete_paragraph`` ``find``: select the phrase's paragraph with the break before it and
  delete it.
- ``delete_from`` ``find``, ``to``: delete from the start of ``find``'s paragraph to the
  start of ``to``'s paragraph (a subsection, heading and all).
- ``join`` ``find``: Delete at the end of the phrase's paragraph, joining the next to it.
- ``footnote`` ``after``, ``text``: insert a footnote after the phrase and type its text.
- ``move`` ``find``, ``after``, optional ``through``: cut the phrase's paragraph (with the
  break before it; with ``through``, up to the end of that phrase's paragraph) and paste it
  at the end of the paragraph of ``after``.
- ``track`` ``on``: turn Track Changes on or off for the steps after it (the file as
  the editor received it, changed untracked before the tracked edit).
"""

import contextlib
import json
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.text.ControlCharacter import PARAGRAPH_BREAK

CONNECT_SECONDS = 90


def prop(name, value):
    found = PropertyValue()
    found.Name, found.Value = name, value
    return found


def connect(port):
    """The desktop of the soffice listening on ``port``; a fresh profile makes soffice
    restart once, so connecting is retried until it answers."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            context = resolver.resolve(
                f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
            break
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.25)
    return context, context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", context)


def set_author(context, given, family):
    """Tracked changes are signed with the user's name from the profile."""
    provider = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", context)
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess",
        (prop("nodepath", "/org.openoffice.UserProfile/Data"),))
    access.setPropertyValue("givenname", given)
    access.setPropertyValue("sn", family)
    access.commitChanges()


class Editor:
    def __init__(self, doc):
        self.doc = doc
        self.controller = doc.getCurrentController()

    def find(self, phrase):
        search = self.doc.createSearchDescriptor()
        search.SearchString = phrase
        search.SearchCaseSensitive = True
        found = self.doc.findFirst(search)
        if found is None:
            raise ValueError(f"phrase not found: {phrase!r}")
        return found

    def cursor_at(self, where):
        return where.getText().createTextCursorByRange(where)

    def paragraph_of(self, phrase):
        """A cursor over the phrase's paragraph and the break before it, as an editor
        selects a paragraph to delete it without merging its neighbours' styles."""
        cursor = self.cursor_at(self.find(phrase).getStart())
        cursor.gotoStartOfParagraph(False)
        cursor.goLeft(1, False)
        cursor.gotoNextParagraph(True)
        cursor.gotoEndOfParagraph(True)
        return cursor

    def replace(self, find, with_):
        self.find(find).setString(with_)

    def type(self, after, text):
        end = self.find(after).getEnd()
        end.getText().insertString(self.cursor_at(end), text, False)

    def delete(self, find):
        self.find(find).setString("")

    def paragraph(self, after, text, style=None):
        cursor = self.cursor_at(self.find(after).getEnd())
        cursor.gotoEndOfParagraph(False)
        body = cursor.getText()
        body.insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
        if style is not None:
            cursor.setPropertyValue("ParaStyleName", style)
        body.insertString(cursor, text, False)

    def delete_paragraph(self, find):
        self.paragraph_of(find).setString("")

    def delete_from(self, find, to):
        cursor = self.cursor_at(self.find(find).getStart())
        cursor.gotoStartOfParagraph(False)
        end = self.cursor_at(self.find(to).getStart())
        end.gotoStartOfParagraph(False)
        cursor.gotoRange(end, True)
        cursor.setString("")

    def join(self, find):
        """Delete the break at the end of the phrase's paragraph (Delete at its end)."""
        cursor = self.cursor_at(self.find(find).getEnd())
        cursor.gotoEndOfParagraph(False)
        cursor.goRight(1, True)
        cursor.setString("")

    def footnote(self, after, text):
        note = self.doc.createInstance("com.sun.star.text.Footnote")
        end = self.find(after).getEnd()
        end.getText().insertTextContent(self.cursor_at(end), note, False)
        note.setString(text)

    def track(self, on):
        self.doc.RecordChanges = on

    def move(self, find, after, through=None):
        """Cut the paragraph (with the break before it; with ``through``, and the paragraphs
        after it up to that phrase's) and paste it at the end of the paragraph of ``after``:
        the paragraph now follows that one."""
        selection = self.paragraph_of(find)
        if through is not None:
            selection.gotoRange(self.find(through).getEnd(), True)
            selection.gotoEndOfParagraph(True)
        self.controller.select(selection)
        clip = self.controller.getTransferable()
        self.controller.getSelection().getByIndex(0).setString("")
        target = self.cursor_at(self.find(after).getEnd())
        target.gotoEndOfParagraph(False)
        self.controller.select(target)
        self.controller.insertTransferable(clip)


def run(desktop, job):
    url = uno.systemPathToFileUrl(job["source"])
    doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
    try:
        doc.RecordChanges = True
        editor = Editor(doc)
        for step in job["steps"]:
            fields = {("with_" if k == "with" else k): v for k, v in step.items() if k != "op"}
            getattr(editor, step["op"])(**fields)
        doc.storeToURL(uno.systemPathToFileUrl(job["out"]),
                       (prop("FilterName", "MS Word 2007 XML"),))
    finally:
        doc.close(True)


def main():
    port = int(sys.argv[1])
    if sys.argv[2:] == ["--terminate"]:  # end soffice as a user quitting it would
        _, desktop = connect(port)
        # the bridge goes down with soffice, which may interrupt the call itself
        with contextlib.suppress(Exception):
            desktop.terminate()
        return
    jobs = json.load(sys.stdin)
    context, desktop = connect(port)
    given, _, family = (jobs[0].get("author", "Jane Editor") if jobs else "").partition(" ")
    set_author(context, given, family)
    results = []
    for job in jobs:
        try:
            run(desktop, job)
            results.append({"out": job["out"], "error": None})
        except Exception as error:  # one failed job is reported, the others still run
            results.append({"out": job["out"], "error": f"{type(error).__name__}: {error}"})
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
