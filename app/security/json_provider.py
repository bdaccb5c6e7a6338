"""JSON that is safe to embed in HTML: ``<``, ``>``, ``&`` and the JS line separators are
written as ``\\u`` escapes (as Jinja's ``tojson`` does). Clients decode identical strings;
a name like ``<script>`` can no longer close a script block if a page embeds API output.
Reading, a body nested too deeply is refused as malformed."""

from flask.json.provider import DefaultJSONProvider

HTML_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


class HtmlSafeJSONProvider(DefaultJSONProvider):
    def loads(self, s, **kwargs):
        """A body nested past the parser's recursion limit is malformed JSON (ValueError:
        ``get_json`` then answers 400), not a RecursionError (500)."""
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None

    def dumps(self, obj, **kwargs):
        text = super().dumps(obj, **kwargs)
        for raw, escaped in HTML_ESCAPES.items():
            text = text.replace(raw, escaped)
        return text
