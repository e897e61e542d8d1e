"""Filters, allocation, indicators, coverage, gaps, priority communes and the 2025 edition."""
