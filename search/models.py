from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """The database backend's index row for a case: its searchable text cut
    into Chinese words by jieba (space-separated, padded), and its exact codes."""

    case = models.OneToOneField("casehub.Case", on_delete=models.CASCADE, primary_key=True, related_name="+")
    version = models.PositiveBigIntegerField()
    tokens = models.TextField()
    codes = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)


class FileText(models.Model):
    """The text of a PDF or DOCX evidence file, read by the outbox worker
    after the upload, for its case's search document. One row per file once
    it was tried, text or not, so a file is read once."""

    class Status(models.TextChoices):
        OK = "ok", _("text extracted")
        EMPTY = "empty", _("no text (a scan or an empty file)")
        ENCRYPTED = "encrypted", _("encrypted")
        UNREADABLE = "unreadable", _("damaged or unreadable")
        ALTERED = "altered", _("stored bytes do not match the upload")

    file = models.OneToOneField("casehub.EvidenceFile", on_delete=models.CASCADE, primary_key=True, related_name="+")
    text = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices)
    truncated = models.BooleanField(default=False)  # capped: characters, pages or time
    extracted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file text")
        verbose_name_plural = _("evidence file texts")
