"""Demo-data generator and small inputs kcmap owns."""
