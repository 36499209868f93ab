"""The gateway's panels on pages of earlier apps: the home page (``fund``) and the objective and
country pages (``places``)."""

from compacts.gateway.panels import fund, places  # noqa: F401
