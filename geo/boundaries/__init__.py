"""Unit polygons: file import, matching to the gazetteer, QA, approximate builds, storage."""
