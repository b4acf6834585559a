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
        self._last_error = ""
        self._errors: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            *ffmpeg_command(self.source),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        assert self.process.stderr is not None
        self._errors = asyncio.ensure_future(self._read_errors(self.process.stderr))

    async def _read_errors(self, stderr: asyncio.StreamReader) -> None:
        # Read as they come: a stream that keeps warning would otherwise fill the pipe, and
        # ffmpeg, blocked on writing its stderr, would stop decoding mid-song.
        while True:
            try:
                line = await stderr.readline()
            except ValueError:  # a line past the reader's limit: skipped, not fatal
                continue
            if not line:
                return
            if text := line.decode(errors="replace").strip():
                self._last_error = text

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

    def error(self) -> str:
        """The last line ffmpeg wrote on stderr (all of it once `stop()` has returned)."""
        return self._last_error

    async def stop(self) -> None:
        """Ends ffmpeg if it still runs and reads what it left in both pipes. Reading them to
        their end is what lets it be reaped: asyncio stops reading a pipe whose buffer is full
        (ffmpeg decodes faster than real time), and until every pipe has hit its end the
        process's wait() never returns, which left the room silent after a change of track."""
        process = self.process
        if process is None or process.stdout is None:
            return
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGCONT)
                process.kill()
        while await process.stdout.read(1 << 16):
            pass
        if self._errors is not None:
            await self._errors
        await process.wait()
        self.process = None
