"""Collect listings and seller profiles (DESIGN §4.1).

``crawler.extractors`` turns saved bodies into `Listing` records (pure, no network),
``crawler.spiders`` only navigate, ``crawler.blocks`` recognises bans, captchas and login
walls, and ``crawler.run`` runs every crawl in a child process (the Twisted reactor cannot
restart inside one process).
"""
