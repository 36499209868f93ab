"""Permission matrix rows of the core app (format: docs/permissions.md).

The audit trail is for staff: no role grants it on its own, so among the matrix's subjects only
the platform administrator may browse it.
"""

from compacts.actors.testing import SUPERUSER, cases

MATRIX = [*cases("core.audit.view", allow={SUPERUSER})]
