"""Writes of the tracking app, one module per area: ``pledges``, ``plans``, ``indicators``,
``cycle``; ``workflow`` applies the state machines. Import services from their module."""
