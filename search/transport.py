"""Talking to the search server.

The Elasticsearch 8 client sends and accepts
``application/vnd.elasticsearch+json; compatible-with=8``. Real
Elasticsearch wants exactly that; osmem-server, the ES-compatible server the
tests run, answers it with 406. ELASTICSEARCH_PLAIN_JSON switches to a node
that sends plain ``application/json`` — for osmem only, never for
Elasticsearch.
"""

import re

from django.conf import settings
from elastic_transport import Urllib3HttpNode
from elasticsearch import Elasticsearch

# application/vnd.elasticsearch+json; compatible-with=8 -> application/json,
# and the +x-ndjson form that bulk requests use -> application/x-ndjson.
_COMPATIBLE = re.compile(r"^application/vnd\.elasticsearch\+([\w-]+)(;.*)?$")


def plain_media_type(value: str) -> str:
    match = _COMPATIBLE.match(value.strip())
    return f"application/{match.group(1)}" if match else value


class PlainJsonNode(Urllib3HttpNode):
    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        if headers:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                if name in headers:
                    headers[name] = plain_media_type(headers[name])
        return super().perform_request(method, target, body=body, headers=headers, **kwargs)


def make_client(url: str | None = None, *, plain_json: bool | None = None, **options) -> Elasticsearch:
    url = url or settings.ELASTICSEARCH_URL
    plain = settings.ELASTICSEARCH_PLAIN_JSON if plain_json is None else plain_json
    return Elasticsearch(url, node_class=PlainJsonNode if plain else "urllib3", **options)
