"""HTTP and command-line interfaces of kcmap."""
