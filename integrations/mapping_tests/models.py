"""Mapping tests (the integration's "test methods"): a named sample input record per template
mapping with the output it must give, and the runs of all tests of a version with their results.

A result keeps the mapping revision it ran against; a test whose mapping has changed since its
latest result is stale (nothing is written when a mapping changes: staleness is read)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from integrations.mappings.models import TemplateMapping
from integrations.workspace.models import IntegrationVersion


class MappingTest(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mapping = models.ForeignKey(TemplateMapping, on_delete=models.CASCADE, related_name="tests")
    name = models.CharField(max_length=120)
    description = models.TextField("flow it proves", blank=True, max_length=4000)
    sample = models.JSONField("sample input record")
    parent = models.JSONField("parent record", null=True, blank=True)
    expected = models.JSONField("expected output")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "mapping",
                Lower("name"),
                name="unique_test_name_per_mapping",
                violation_error_message="This template mapping already has a test with this name.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Outcome(models.TextChoices):
    PASS = "pass", "Pass"
    FAIL = "fail", "Fail"
    ERROR = "error", "Error"


class MappingTestRun(models.Model):
    """ "Run all tests" of one integration version."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(IntegrationVersion, on_delete=models.CASCADE, related_name="mapping_test_runs")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.version}: tests {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)


class MappingTestResult(models.Model):
    run = models.ForeignKey(MappingTestRun, on_delete=models.CASCADE, related_name="results")
    test = models.ForeignKey(MappingTest, on_delete=models.CASCADE, related_name="results")
    outcome = models.CharField(max_length=5, choices=Outcome.choices)
    diff = models.JSONField(default=list, blank=True)  # FieldDiff as dicts: path, kind, expected, actual
    error = models.TextField(blank=True)
    output = models.JSONField(null=True, blank=True)
    mapping_revision = models.PositiveIntegerField()
    ran_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["ran_at", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "test"], name="one_result_per_test_and_run")]

    def __str__(self) -> str:
        return f"{self.test}: {self.outcome}"
