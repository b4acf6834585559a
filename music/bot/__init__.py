"""DJ Tokoloshe's player: the LiveKit participant (`rtc`), the decoder (`decoder`), one room's
bot (`room`) and the process that keeps a bot in every room with music on (`dj`)."""
