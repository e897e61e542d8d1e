"""Records (establishments, craft villages, projects): spec, state, edits, audit, reads, review."""
