"""Database, settings, errors, migrations, the local cluster and caches."""
