"""Follow-ups after an orientation: when they fall due, what they ask, how answers are kept."""
