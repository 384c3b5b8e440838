"""A page's elements as a list, each with its attributes, text and parent, for tests that look at markup."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str]
    parent: "Element | None" = None
    children: list["Element"] = field(default_factory=list)
    text: str = ""
    own_text: str = ""  # the text directly inside it, not inside its children

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def descendants(self) -> list["Element"]:
        found = []
        for child in self.children:
            found += [child, *child.descendants()]
        return found

    def ancestors(self) -> list["Element"]:
        found, node = [], self.parent
        while node is not None:
            found.append(node)
            node = node.parent
        return found


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs}, self.open[-1] if self.open else None)
        if element.parent is not None:
            element.parent.children.append(element)
        self.elements.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        # Close up to the matching element; a stray end tag closes nothing.
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index].tag == tag:
                del self.open[index:]
                return

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.text += data
        if self.open:
            self.open[-1].own_text += data


def elements(html: str) -> list[Element]:
    """Every element of `html` in document order."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.elements


def by_class(html: str, name: str) -> list[Element]:
    return [element for element in elements(html) if name in element.classes]


def by_id(html: str, element_id: str) -> Element:
    [found] = [element for element in elements(html) if element.attrs.get("id") == element_id]
    return found
