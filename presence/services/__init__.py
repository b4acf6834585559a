"""Every write of presence, by subject: realtime `connections` and LiveKit `webhooks`."""
