"""Domain layer of kcmap: database, gazetteer, boundaries, geocoding, importers, analytics."""
