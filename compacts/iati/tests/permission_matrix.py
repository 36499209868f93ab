"""Permission matrix rows of the iati app (format: docs/permissions.md): importing and exporting
on demand are staff work (administrators, the Management Unit, the Network Secretariat); the
published files are public."""

from compacts.actors import roles
from compacts.actors.testing import ANONYMOUS, EVERY_ROLE, SIGNED_IN, SUPERUSER, cases

STAFF = {SUPERUSER, roles.MANAGEMENT_UNIT_OFFICER, roles.NETWORK_SECRETARIAT}

MATRIX = [
    *cases("iati.import.run", allow=STAFF),
    *cases("iati.import.view", allow=STAFF),
    *cases("iati.export.run", allow=STAFF),
    *cases("iati.publication.view", allow={ANONYMOUS, SIGNED_IN, SUPERUSER, *EVERY_ROLE}),
]
