from django.db import models


class SearchEntry(models.Model):
    """The database backend's index row for a case: its searchable text cut
    into Chinese words by jieba (space-separated, padded), and its exact codes."""

    case = models.OneToOneField("casehub.Case", on_delete=models.CASCADE, primary_key=True, related_name="+")
    version = models.PositiveBigIntegerField()
    tokens = models.TextField()
    codes = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)
