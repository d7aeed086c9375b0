"""Orientation evaluation: cases written from the sources, scored against the matcher."""
