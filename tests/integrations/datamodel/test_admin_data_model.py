"""Staff keep the common data model in the admin: a collection added or deleted is recorded like
one changed (tests/integrations/test_data_model.py), and one in use is refused, one by one, by
"Delete selected"."""

import pytest

from integrations.models import MappingCollection
from portal.models import AuditEvent
from tests.admin_forms import admin_url, delete_selected, form_data
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_staff_add_a_collection_and_it_is_recorded(sam):
    client = client_for(sam)
    data = form_data(client.get(admin_url(MappingCollection, "add")))
    data |= {"name": "Loyalty Account", "key": "loyalty-account", "position": 20}
    assert client.post(admin_url(MappingCollection, "add"), data).status_code == 302
    assert MappingCollection.objects.filter(key="loyalty-account").exists()
    loyalty = MappingCollection.objects.get(key="loyalty-account")
    assert AuditEvent.objects.get(kind="data_model.changed", actor=sam).target == loyalty


def test_staff_delete_an_unused_collection_and_it_is_recorded(sam):
    gift_card = MappingCollection.objects.get(key="gift-card")
    response = client_for(sam).post(admin_url(MappingCollection, "delete", gift_card.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not MappingCollection.objects.filter(key="gift-card").exists()
    event = AuditEvent.objects.get(kind="data_model.removed", actor=sam)
    assert (event.target_id, event.target_label) == (gift_card.pk, "Gift Card")  # it outlives the collection


def test_delete_selected_keeps_a_collection_in_use_and_says_so(sam):
    customer, location = MappingCollection.objects.filter(key__in=["customer", "location"]).order_by("key")
    response = delete_selected(client_for(sam), MappingCollection, [customer, location])
    page = response.content.decode()
    assert "Deleted 1 mapping collection." in page
    assert "Customer is in use" in page
    assert list(MappingCollection.objects.filter(key__in=["customer", "location"]).values_list("key", flat=True)) == [
        "customer"
    ]
    assert list(AuditEvent.objects.values_list("kind", "target_label")) == [("data_model.removed", "Location")]
