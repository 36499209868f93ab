"""Settings for ``compacts up`` and development on one machine."""

from .base import *  # noqa: F403
