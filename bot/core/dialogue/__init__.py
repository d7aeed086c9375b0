"""The guided conversation as a transport-independent state machine (see README's diagram)."""
