"""The search backend in use: Elasticsearch when ELASTICSEARCH_URL is set,
the database otherwise."""

from django.conf import settings

_cache: dict = {}


def get_backend():
    key = (settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_PLAIN_JSON)
    if key not in _cache:
        _cache.clear()
        if settings.ELASTICSEARCH_URL:
            from .elastic import ElasticBackend

            _cache[key] = ElasticBackend()
        else:
            from .database import DatabaseBackend

            _cache[key] = DatabaseBackend()
    return _cache[key]
