"""The iPaaS.com common data model: the MappingCollections every integration maps to and from.

It ships with the portal as a data migration and staff keep it current in the admin."""

from django.db import models
from django.urls import reverse


class FieldType(models.TextChoices):
    TEXT = "text", "Text"
    INTEGER = "integer", "Whole number"
    DECIMAL = "decimal", "Decimal number"
    BOOLEAN = "boolean", "True or false"
    DATE = "date", "Date"
    DATETIME = "datetime", "Date and time"
    EMAIL = "email", "Email address"
    URL = "url", "URL"


class MappingCollection(models.Model):
    """A collection of the common data model (Customer, Product, Transaction, ...); a child
    collection (a customer's addresses, a product's variants) names its parent."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=80, unique=True)
    description = models.TextField(blank=True, max_length=2000)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="For child collections.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("data_model_collection", args=[self.key])


class DataModelField(models.Model):
    collection = models.ForeignKey(MappingCollection, on_delete=models.CASCADE, related_name="fields")
    name = models.CharField(max_length=80)
    type = models.CharField(max_length=10, choices=FieldType.choices, default=FieldType.TEXT)
    required = models.BooleanField(default=False)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["collection", "name"], name="unique_field_name_per_collection")]

    def __str__(self) -> str:
        return f"{self.collection}.{self.name}"
