"""Folium map builders, one per map view."""
