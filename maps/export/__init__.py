"""Static exports: PNG and PDF maps, CSV and XLSX tables."""
