"""Alerts (issue 17 item 1): events -> messages (`events`, pure), Apprise channels (`channels`),
storage, deduplication and retries (`dispatch`), and the hooks the scheduler calls (`hooks`).
Rules in `rules/alerts.yaml`; channels in `$LISTINGWATCH_ALERT_URLS`."""
