"""The gateway's figures (tables and charts), registered with compacts.core.figures."""

from compacts.gateway.figures import fund, places  # noqa: F401
