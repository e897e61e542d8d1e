"""HTTP routes: each parses and authorises, then calls one function of geo/."""
