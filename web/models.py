"""web has no tables of its own yet."""
