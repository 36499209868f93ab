"""Figures about places and themes."""
