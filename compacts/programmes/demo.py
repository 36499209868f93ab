"""Demonstration data of the programme cycle.

The concept notes, programmes, Committee meetings, transfers, reports and results of MIG00 are
seeded by ``compacts/results/demo.py`` (it runs right after this app): a joint programme document
needs a results framework, which belongs to the results app, and imports go one way
(programmes <- results). This hook loads the programme cycle's reference data, so that
``compacts demo`` works on a database where ``compacts reference`` was not run.
"""

from compacts.programmes.reference import load_reference


def seed_demo(*, stdout) -> None:
    load_reference(stdout=stdout)
