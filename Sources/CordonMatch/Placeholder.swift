// Placeholder replaced by the matcher.
