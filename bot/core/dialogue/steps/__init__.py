"""One module per question or screen of the dialogue; their order is in :mod:`..registry`."""
