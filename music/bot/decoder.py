"""ffmpeg (from Debian) decoding a file, a local path or an HTTP(S) stream into 20 ms frames of
s16le 48 kHz stereo, loudness-normalised, read as fast as the speaker takes them."""

from __future__ import annotations

import asyncio
import contextlib
import signal

from .rtc import CHANNELS, FRAME_BYTES, SAMPLE_RATE

# 2.x's targets: streaming loudness, peaks below -1 dBTP.
LOUDNORM = "loudnorm=I=-14:TP=-1:LRA=11"
# A stream that drops is reopened by ffmpeg itself before the bot restarts it.
RECONNECT = ["-reconnect", "1", "-reconnect_streamed", "1", "-reconnect_delay_max", "5"]


def ffmpeg_command(source: str) -> list[str]:
    """The ffmpeg command that turns `source` into raw frames on its stdout."""
    network = RECONNECT if source.startswith(("http://", "https://")) else []
    return [
        "ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", *network, "-i", source,
        "-vn", "-af", LOUDNORM, "-ac", str(CHANNELS), "-ar", str(SAMPLE_RATE),
        "-f", "s16le", "pipe:1",
    ]  # fmt: skip


class Decoder:
    """One ffmpeg process; `frame()` returns the next 3840 bytes, or None at the end (the
    last partial frame is padded with silence)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            *ffmpeg_command(self.source),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )

    async def frame(self) -> bytes | None:
        assert self.process is not None and self.process.stdout is not None
        try:
            return await self.process.stdout.readexactly(FRAME_BYTES)
        except asyncio.IncompleteReadError as end:
            return end.partial.ljust(FRAME_BYTES, b"\0") if end.partial else None

    def pause(self, paused: bool) -> None:
        """Stops or continues ffmpeg itself (2.x's SIGSTOP/SIGCONT), so a stream waits too."""
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGSTOP if paused else signal.SIGCONT)

    async def error(self) -> str:
        """What ffmpeg said on stderr, once it has ended (the last line)."""
        if self.process is None or self.process.stderr is None:
            return ""
        text = (await self.process.stderr.read()).decode(errors="replace").strip()
        return text.splitlines()[-1] if text else ""

    async def stop(self) -> None:
        if self.process is None or self.process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
        await self.process.wait()
