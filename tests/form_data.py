"""What a browser would post from a page's form: the values of its inputs, selects and textareas as
written in the HTML (tests of concurrent edits post the form two people had open)."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, match):
        super().__init__(convert_charrefs=True)
        self.match, self.inside, self.data = match, False, []
        self._select = self._textarea = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.match(attrs):
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            checkable = attrs.get("type") in ("checkbox", "radio")
            if checkable and "checked" not in attrs:
                return
            self.data.append((name, attrs.get("value", "on" if checkable else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # The HTML spec drops one newline right after <textarea>.
            self.data.append((self._textarea, self._text[1:] if self._text.startswith("\n") else self._text))
            self._textarea = None


def form_data(html, *, form_id=None, action=None):
    """{name: value or [values]} of the form with this id (or whose action ends with `action`)."""
    parser = _FormParser(
        lambda attrs: (form_id and attrs.get("id") == form_id) or (action and attrs.get("action", "").endswith(action))
    )
    parser.feed(html)
    data = {}
    for name, value in parser.data:
        if name in data:
            data[name] = [*data[name], value] if isinstance(data[name], list) else [data[name], value]
        else:
            data[name] = value
    return data
