"""The `kcmap` command line: one module per command group."""
