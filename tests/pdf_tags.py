"""Reading a PDF download's accessibility structure back (pypdf), for the tests: the catalogue's
/MarkInfo, /Lang and title, and the structure tree's element types in reading order, with each
Figure's alternative text. The tests' own walk of the tree, not WeasyPrint's."""

import io
from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject


@dataclass
class Structure:
    marked: bool
    lang: str
    title: str
    display_title: bool
    tags: list = field(default_factory=list)  # "/H1", "/Table", ... depth first
    alts: list = field(default_factory=list)  # each Figure's /Alt ("" when it has none)
    text: str = ""


def _walk(node, out: Structure) -> None:
    node = node.get_object()
    if isinstance(node, ArrayObject):
        for child in node:
            _walk(child, out)
        return
    if not isinstance(node, DictionaryObject) or "/S" not in node and "/K" not in node:
        return
    if "/S" in node:
        out.tags.append(str(node["/S"]))
        if node["/S"] == "/Figure":
            out.alts.append(str(node.get("/Alt", "")))
    if "/K" in node:
        _walk(node["/K"], out)


def structure(content: bytes) -> Structure:
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    found = Structure(
        marked=bool(root.get("/MarkInfo", {}).get("/Marked")),
        lang=str(root.get("/Lang", "")),
        title=str((reader.metadata or {}).get("/Title", "")),
        display_title=bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle")),
        text=" ".join(" ".join(p.extract_text() for p in reader.pages).split()),
    )
    if "/StructTreeRoot" in root:
        _walk(root["/StructTreeRoot"]["/K"], found)
    return found


def assert_tagged(content: bytes, *, title: str, figures: int = 0) -> Structure:
    """A tagged PDF (PDF/UA-style): marked, in British English, titled (shown as its title),
    its headings in order from one H1, its tables with header and data cells, and `figures`
    figures each with alternative text."""
    found = structure(content)
    assert found.marked, "no /MarkInfo /Marked true"
    assert found.lang == "en-GB"
    assert found.title == title and found.display_title
    headings = [int(t[2]) for t in found.tags if t in ("/H1", "/H2", "/H3", "/H4")]
    assert headings[0] == 1 and headings.count(1) == 1, headings
    assert all(b <= a + 1 for a, b in zip(headings, headings[1:], strict=False)), headings
    assert {"/Table", "/TR", "/TH", "/TD"} <= set(found.tags), found.tags
    assert len(found.alts) == figures and all(found.alts), found.alts
    assert "{#" not in found.text and "{%" not in found.text  # no template source shown
    return found
