"""Every write of moderation, by subject: `votes`, `punishments` (the jail), staff `overrides`."""
