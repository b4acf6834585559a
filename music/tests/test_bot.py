"""run_dj's logic without an SFU: which rooms it is in, what it plays and when, its back-off,
its refusal to play unencrypted, and what it reports (the real participant is tested against
the real SFU in tests/reliability/test_music_bot.py)."""

from __future__ import annotations

import asyncio
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from music.bot import room as room_module
from music.bot.decoder import Decoder, ffmpeg_command
from music.bot.dj import DJ
from music.bot.room import Hooks, RoomBot, backoff
from music.bot.rtc import CannotEncrypt
from music.models import PipeLock, RoomMusic
from music.services.pipe import pipe_reclaim, pipe_renew, pipe_start
from music.services.playback import (
    Assignment,
    music_assignments,
    music_bot_error,
    music_track_finished,
)
from realtime.events import MusicStatusChanged
from rooms.services.membership import membership_end


def assignment(**extra) -> Assignment:
    base = {
        "room_id": 1, "room_name": "Lounge", "mode": "radio", "paused": False, "track": 1,
        "source": "/m/a.ogg", "upload": "",
    }  # fmt: skip
    return Assignment(**{**base, **extra})


def test_backoff_is_2x_pace():
    assert [backoff(n) for n in range(1, 8)] == [2, 4, 6, 8, 10, 15, 15]


def test_ffmpeg_normalises_loudness_and_reconnects_only_streams():
    stream = ffmpeg_command("https://radio.test/stream")
    assert "-reconnect" in stream
    assert stream[stream.index("-af") + 1] == "loudnorm=I=-14:TP=-1:LRA=11"
    assert stream[-7:] == ["-ac", "2", "-ar", "48000", "-f", "s16le", "pipe:1"]
    assert "-reconnect" not in ffmpeg_command("/data/music-uploads/x.audio")


@pytest.mark.django_db(transaction=True)
def test_the_bot_goes_where_music_is_on_and_someone_is_there(playing, alice, bob, carol):
    [only] = music_assignments()
    assert (only.room_id, only.mode, only.source) == (playing.pk, "radio", "/m/c.ogg")
    for user in (alice, bob, carol):
        membership_end(user=user)
    assert music_assignments() == []


@pytest.mark.django_db(transaction=True)
def test_a_finished_track_moves_the_queue_once(api_as, published, playing, bob):
    for name in ("a", "b"):
        api_as(bob).post("/api/music/queue", {"url": f"https://x.test/{name}.mp3"}, format="json")
    track = RoomMusic.objects.get().track
    music_track_finished(room_id=playing.pk, track=track)
    # The same end reported twice (or after a skip) moves nothing more.
    music_track_finished(room_id=playing.pk, track=track)
    player = RoomMusic.objects.get()
    assert (player.current_title, player.track) == ("b", track + 1)
    assert published.of(MusicStatusChanged)[-1][0].payload()["nowPlaying"] == "b"


@pytest.mark.django_db(transaction=True)
def test_why_the_bot_cannot_play_reaches_the_room(published, playing):
    music_bot_error(room_id=playing.pk, error="DJ Tokoloshe will not play unencrypted: x")
    payload = published.of(MusicStatusChanged)[-1][0].payload()
    assert payload["error"] == "DJ Tokoloshe will not play unencrypted: x"
    published.clear()
    music_bot_error(room_id=playing.pk, error="DJ Tokoloshe will not play unencrypted: x")
    assert published.of(MusicStatusChanged) == []


@pytest.mark.django_db(transaction=True)
def test_a_pipe_ends_when_its_streamer_leaves_or_its_process_dies(playing, bob, carol):
    assert pipe_start(user=bob, room_id=playing.pk, session_id="s1", title="Mix")
    assert not pipe_start(user=carol, room_id=playing.pk, session_id="s2", title="Other")
    assert pipe_renew(room_id=playing.pk, session_id="s1", user_id=bob.pk)
    membership_end(user=bob)
    assert not pipe_renew(room_id=playing.pk, session_id="s1", user_id=bob.pk)
    # Its process died: the lease runs out, and the DJ takes the room back.
    PipeLock.objects.update(lease_until=timezone.now() - timedelta(seconds=1))
    pipe_reclaim()
    assert RoomMusic.objects.get().mode == "radio"
    assert not PipeLock.objects.exists()


class FakeSpeaker:
    def __init__(self, *, encrypts: bool = True) -> None:
        self.encrypts = encrypts
        self.gone = asyncio.Event()
        self.frames = 0

    async def join(self, **_):
        if not self.encrypts:
            raise CannotEncrypt("the track was published without encryption")

    async def play(self, pcm):
        self.frames += 1
        await asyncio.sleep(0.001)

    def flush(self):
        pass

    async def leave(self):
        self.gone.set()


class FakeDecoder:
    def __init__(self, source):
        self.source = source
        self.left = 5

    async def start(self):
        pass

    async def frame(self):
        self.left -= 1
        return b"\0" * 3840 if self.left >= 0 else None

    def pause(self, paused):
        pass

    async def error(self):
        return ""

    async def stop(self):
        pass


async def eventually(check) -> None:
    for _ in range(500):
        if check():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("it never happened")


def hooks(reports: list[str], finished: list[int]) -> Hooks:
    async def report(room_id, error):
        reports.append(error)

    async def done(room_id, track):
        finished.append(track)

    return Hooks(
        credentials=lambda name: ("ws://sfu", "token", "key"),
        source_path=lambda a: a.source,
        track_finished=done,
        report_error=report,
    )


@pytest.mark.asyncio
async def test_a_bot_that_cannot_encrypt_does_not_play_and_says_so(monkeypatch):
    speakers: list[FakeSpeaker] = []

    def make():
        speakers.append(FakeSpeaker(encrypts=False))
        return speakers[-1]

    monkeypatch.setattr(room_module, "Speaker", make)
    monkeypatch.setattr(room_module, "backoff", lambda n: 0.01)
    reports: list[str] = []
    bot = RoomBot(assignment(), hooks(reports, []))
    task = asyncio.create_task(bot.run())
    await eventually(lambda: len(speakers) >= 2)
    bot.stop()
    await task
    assert reports[0] == (
        "DJ Tokoloshe will not play unencrypted: the track was published without encryption"
    )
    assert all(speaker.frames == 0 for speaker in speakers)


@pytest.mark.asyncio
async def test_a_queued_track_played_to_its_end_is_reported_by_its_number(monkeypatch):
    speaker = FakeSpeaker()
    monkeypatch.setattr(room_module, "Speaker", lambda: speaker)
    monkeypatch.setattr(room_module, "Decoder", FakeDecoder)
    finished: list[int] = []
    reports: list[str] = []
    bot = RoomBot(assignment(mode="queue", track=7), hooks(reports, finished))
    task = asyncio.create_task(bot.run())
    await eventually(lambda: bool(finished))
    bot.stop()
    await task
    assert finished == [7]
    assert speaker.frames == 5
    # Joined encrypted: any earlier complaint is cleared.
    assert reports == [""]


@pytest.mark.asyncio
async def test_a_paused_bot_waits_quietly_and_plays_on_when_resumed(monkeypatch):
    speaker = FakeSpeaker()
    pauses: list[bool] = []

    class Endless(FakeDecoder):
        async def frame(self):
            return b"\0" * 3840

        def pause(self, paused):
            pauses.append(paused)

    monkeypatch.setattr(room_module, "Speaker", lambda: speaker)
    monkeypatch.setattr(room_module, "Decoder", Endless)
    bot = RoomBot(assignment(), hooks([], []))
    task = asyncio.create_task(bot.run())
    await eventually(lambda: speaker.frames > 3)
    bot.update(assignment(paused=True))
    await asyncio.sleep(0.2)
    played = speaker.frames
    await asyncio.sleep(0.2)
    # Paused: no frames, and ffmpeg stopped once (not stopped and started over and over).
    assert (speaker.frames, pauses) == (played, [True])
    bot.update(assignment(paused=False))
    await eventually(lambda: speaker.frames > played)
    bot.stop()
    await task
    assert pauses[:2] == [True, False]


@pytest.mark.asyncio
async def test_the_dj_starts_a_bot_per_room_and_ends_one_whose_room_emptied(monkeypatch):
    monkeypatch.setattr("music.bot.dj.LINGER_SECONDS", 0.0)
    started: list[int] = []

    async def run(self):
        started.append(self.wanted.room_id)
        await self.changed.wait()

    monkeypatch.setattr(RoomBot, "run", run)
    dj = DJ(hooks([], []))
    dj.apply([assignment(room_id=1), assignment(room_id=2)])
    await asyncio.sleep(0.05)
    dj.apply([assignment(room_id=2, paused=True)])
    assert sorted(started) == [1, 2] and list(dj.bots) == [2]
    assert dj.bots[2][0].wanted.paused is True
    await dj.close()
    assert dj.bots == {}


def test_run_dj_refuses_to_start_without_redis(settings):
    from django.core.management import CommandError, call_command

    settings.REDIS_URL = ""
    with pytest.raises(CommandError, match="run_dj needs REDIS_URL"):
        call_command("run_dj")


def _tone(path, seconds: int) -> str:
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi",
         "-i", f"sine=frequency=440:duration={seconds}", str(path)],
        check=True, timeout=60,
    )  # fmt: skip
    return str(path)


async def test_a_decoder_stopped_mid_song_ends_at_once_though_its_pipe_is_full(tmp_path):
    # The bot reads in real time and ffmpeg decodes far faster: its pipe is full when a skip or
    # a change of station stops it, and a stop that waited on it silenced the room for good.
    decoder = Decoder(_tone(tmp_path / "long.flac", 120))
    await decoder.start()
    assert len(await decoder.frame() or b"") == 3840
    await asyncio.sleep(1.0)
    await asyncio.wait_for(decoder.stop(), timeout=10)
    assert decoder.process is None


async def test_a_paused_decoder_stops_too_and_a_bad_source_says_why(tmp_path):
    paused = Decoder(_tone(tmp_path / "long.flac", 120))
    await paused.start()
    await paused.frame()
    paused.pause(True)
    await asyncio.wait_for(paused.stop(), timeout=10)

    missing = Decoder(str(tmp_path / "nothing-here.flac"))
    await missing.start()
    assert await missing.frame() is None
    await asyncio.wait_for(missing.stop(), timeout=10)
    assert "No such file" in missing.error()
