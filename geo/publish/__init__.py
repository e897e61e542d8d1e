"""What leaves the database for readers: map views, briefing data, file exports, OGC API."""
