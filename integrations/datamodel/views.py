"""The common data model, readable by everyone: integrators map to it, subscribers read it."""

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import render

from integrations.models import DataModelField, MappingCollection


@login_not_required
def data_model_index(request):
    collections = (
        MappingCollection.objects.select_related("parent")
        .annotate(field_count=Count("fields"))
        .order_by("position", "name")
    )
    top = [c for c in collections if c.parent_id is None]
    children = {}
    for collection in collections:
        if collection.parent_id:
            children.setdefault(collection.parent_id, []).append(collection)
    rows = [(collection, children.get(collection.pk, [])) for collection in top]
    return render(request, "integrations/datamodel/datamodel_index.html", {"rows": rows})


@login_not_required
def data_model_collection(request, key):
    fields = Prefetch("fields", queryset=DataModelField.objects.order_by("position", "name"))
    try:
        collection = (
            MappingCollection.objects.select_related("parent").prefetch_related(fields, "children").get(key=key)
        )
    except MappingCollection.DoesNotExist as exc:
        raise Http404("No such collection in the data model") from exc
    return render(request, "integrations/datamodel/datamodel_collection.html", {"collection": collection})
