"""Moving the test database's schema back and forth for the tests of a migration."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.fixture
def whole_schema_after():
    """Migrating one app back unapplies every later migration of other apps that depends on it,
    and migrating it forward again brings back only its own: put every app's latest back after
    the test, or the tests that follow in this process find tables and columns missing."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def migrate_to(target):
    """Migrate to `target` ([(app, migration)]); answers the historical models there."""
    MigrationExecutor(connection).migrate(target)
    return MigrationExecutor(connection).loader.project_state(target).apps
