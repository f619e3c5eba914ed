"""The review web app for analysts and inspectors (DESIGN §4.6); see docs/webapp.md."""

from review.web.app import create_app
from review.web.helpers import WebSettings

__all__ = ["WebSettings", "create_app"]
