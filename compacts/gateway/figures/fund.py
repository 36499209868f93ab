"""Figures about the fund, its donors and its programmes."""
