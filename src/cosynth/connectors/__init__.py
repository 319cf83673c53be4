"""Clients for the APIs cosynth searches itself: PubMed, Europe PMC, OpenAlex, Crossref.

An adapter beside `store`, `formats`, `ranking` and `render`, and the only
package that imports httpx. Each module speaks to one API and hands back pages
of that API's own bytes (MEDLINE text, or JSON); `cosynth.formats` reads them
into citations, and `services.search_runs` keeps the pages and imports them.
"""

from cosynth.connectors.base import Connector, Page
from cosynth.connectors.http import PoliteClient, RetryPolicy
from cosynth.connectors.registry import open_connector
from cosynth.connectors.settings import ApiSettings

__all__ = ["ApiSettings", "Connector", "Page", "PoliteClient", "RetryPolicy", "open_connector"]
