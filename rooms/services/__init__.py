"""Every write to rooms, by subject: `rooms` (create, delete), `membership` (join, leave, who is
where) and `whispers` (the chain and the mode)."""
