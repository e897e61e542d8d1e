"""Administrative units of both editions: loading, in-memory index, place SQL, unit GeoJSON."""
