"""HTML pages that are not maps: login, index, review, history."""
