"""moderation has no tables of its own yet."""
