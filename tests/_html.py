"""Reading HTML back in tests: the tags, attributes and text a document really has."""

from __future__ import annotations

from html.parser import HTMLParser


class HtmlParts(HTMLParser):
    """Collects every start tag, every attribute (name, value) and every text run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(k, v or "") for k, v in attrs]

    def handle_data(self, data):
        self.text.append(data)


def parse_html(html: str) -> HtmlParts:
    parser = HtmlParts()
    parser.feed(html)
    return parser
