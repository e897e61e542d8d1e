"""What every map shares: offline assets, base map, legend boxes, panels, formats, palette."""
