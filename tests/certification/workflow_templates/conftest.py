import pytest

from tests.certification.workflow_templates import world


@pytest.fixture
def certified(northwind, alice, sam):
    return world.certified(northwind, alice, sam)
