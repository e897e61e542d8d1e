"""Users, passwords, sessions, API tokens and authorisation."""
