"""The khuyến công year: needs, the annual plan, targets, outputs, products and collaborators."""
