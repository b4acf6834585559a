"""The LiveKit participant that plays audio into a room: the only module that imports the
LiveKit real-time SDK (`livekit.rtc`; tokens and keys still come from `sfu.livekit`).

A `Speaker` joins encrypted or not at all: E2EE with the room's key (its base64 text's ASCII
bytes as the shared key, which is what livekit-client's `setKey(string)` derives from), checked
after connecting and after publishing. It publishes one stereo 48 kHz track named `music` as
stream audio (not a microphone), DTX and RED off."""

from __future__ import annotations

import asyncio
import json
import logging

from livekit import rtc

logger = logging.getLogger(__name__)

SAMPLE_RATE = 48_000
CHANNELS = 2
FRAME_SAMPLES = 960  # 20 ms
FRAME_BYTES = FRAME_SAMPLES * CHANNELS * 2  # s16le: 3840
MAX_BITRATE = 510_000
# The source's own buffer: enough to ride out a scheduling hiccup, small enough that a pause
# or a skip is heard at once; `play` waits while it is full, which paces the reader.
QUEUE_MS = 300
CONNECT_TIMEOUT_SECONDS = 15.0


class CannotEncrypt(Exception):
    """The participant could not set up E2EE; it must not play unencrypted."""


class Speaker:
    """One participant publishing one `music` track into one LiveKit room."""

    def __init__(self) -> None:
        self.room = rtc.Room()
        self.source = rtc.AudioSource(SAMPLE_RATE, CHANNELS, queue_size_ms=QUEUE_MS)
        self.gone = asyncio.Event()
        self.room.on("disconnected", lambda *_: self.gone.set())

    async def join(self, *, url: str, token: str, key: str) -> None:
        """Connects with E2EE on and publishes the track; raises CannotEncrypt rather than
        play in the clear, and any other failure as it comes."""
        encryption = rtc.E2EEOptions(
            key_provider_options=rtc.KeyProviderOptions(shared_key=key.encode("ascii"))
        )
        options = rtc.RoomOptions(
            auto_subscribe=False, encryption=encryption, connect_timeout=CONNECT_TIMEOUT_SECONDS
        )
        await self.room.connect(ws_url(url), token, options)
        if self.room.e2ee_manager is None or not self.room.e2ee_manager.enabled:
            await self.leave()
            raise CannotEncrypt("E2EE could not be enabled on the connection")
        track = rtc.LocalAudioTrack.create_audio_track("music", self.source)
        publish = rtc.TrackPublishOptions(
            source=rtc.TrackSource.SOURCE_SCREENSHARE_AUDIO, dtx=False, red=False
        )
        publish.audio_encoding.max_bitrate = MAX_BITRATE
        publication = await self.room.local_participant.publish_track(track, publish)
        if publication.encryption_type == rtc.EncryptionType.NONE:
            await self.leave()
            raise CannotEncrypt("the track was published without encryption")

    async def play(self, pcm: bytes) -> None:
        """Queues one 20 ms frame (3840 bytes); waits while the source's buffer is full."""
        await self.source.capture_frame(rtc.AudioFrame(pcm, SAMPLE_RATE, CHANNELS, FRAME_SAMPLES))

    def flush(self) -> None:
        """Drops what is buffered, so a skip or a pause is heard at once."""
        self.source.clear_queue()

    async def set_title(self, title: str) -> None:
        """The pipe's title in the participant's metadata (`pipeTitle`, as 2.x's tiles read)."""
        await self.room.local_participant.set_metadata(json.dumps({"pipeTitle": title[:200]}))

    async def leave(self) -> None:
        """Disconnects; safe to call twice, and after the SFU dropped us."""
        try:
            await self.room.disconnect()
            await self.source.aclose()
        # Leaving a dead connection must not fail the caller.
        except Exception:
            logger.debug("disconnect failed", exc_info=True)
        self.gone.set()


def ws_url(url: str) -> str:
    """LIVEKIT_URL as a signalling URL (the room service takes http, a participant ws)."""
    return "ws" + url[4:] if url.startswith("http") else url
