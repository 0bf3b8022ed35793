"""The search backend in use: Elasticsearch when ELASTICSEARCH_URL is set."""

from django.conf import settings

_cache: dict = {}


def get_backend():
    key = (settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_PLAIN_JSON)
    if key not in _cache:
        from .elastic import ElasticBackend

        _cache.clear()
        _cache[key] = ElasticBackend()
    return _cache[key]
