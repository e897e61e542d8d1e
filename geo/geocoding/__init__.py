"""Address normalisation, address parsing to units, coordinate parsing and point reconciliation."""
