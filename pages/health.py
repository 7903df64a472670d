"""Whether this process can serve: the database answers and every migration is applied.
Read by /healthz for the proxy, the container's health check and monitoring."""

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

# Reading the migration graph costs milliseconds; once it is complete it stays so until the
# next deploy, which starts new processes.
_migrations_applied = False


def ready() -> bool:
    global _migrations_applied
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if not _migrations_applied:
            executor = MigrationExecutor(connection)
            _migrations_applied = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return False
    return _migrations_applied
