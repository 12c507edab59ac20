"""Domain rules of the coaching model: pure functions, no Slack and no SQL."""
