"""The human side: review queue, exports, evidence bundles, users, web app."""
