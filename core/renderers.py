"""JSON output as 1.x wrote it: compact, UTF-8, integers stay integers."""

from rest_framework.renderers import JSONRenderer


class CompactJSONRenderer(JSONRenderer):
    compact = True
    ensure_ascii = False
