"""Aiguillage: orients social and solidarity economy project holders towards local support."""

__version__ = "0.1.0"
