"""The `listingwatch` command line, one module per command group (DESIGN §5)."""
