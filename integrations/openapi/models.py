"""An uploaded OpenAPI document and the state of its analysis."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from integrations.workspace.models import Integration


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Reading the document"
    DONE = "done", "Read"
    REFUSED = "refused", "Refused"
    FAILED = "failed", "Failed"


class OpenAPIImport(models.Model):
    """One uploaded OpenAPI document and what the analysis made of it. The integration's
    current document is its newest import that finished without being refused."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="openapi_imports")
    document = models.FileField(upload_to="openapi/%Y/%m/", max_length=200)
    filename = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done, for the progress bar.")
    detected_version = models.CharField(max_length=20, blank=True)
    refused_reason = models.TextField(blank=True)
    error_count = models.PositiveIntegerField(default=0)
    analysis = models.JSONField(null=True, blank=True, help_text="integrations.openapi.Analysis.to_dict()")
    changes = models.JSONField(null=True, blank=True, help_text="What changed against the previous document.")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} for {self.integration}"

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.DONE, ImportStatus.REFUSED, ImportStatus.FAILED}

    @property
    def is_valid_openapi2(self) -> bool:
        return self.status == ImportStatus.DONE and self.detected_version == "2.0" and self.error_count == 0
