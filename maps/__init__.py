"""Folium map builders, legends, offline assets and exports (never queries the database)."""
