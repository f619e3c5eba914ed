"""Seller networks (issue 16): sellers across platforms run by the same people.

`linker` finds them (pure), `identifiers` normalizes what links them, `store` keeps them in the
database and reads them back for the CLI, the export, the statistics and the case page.
"""
