"""Sounds and the microphone meter in real Chromium: every sound pack renders audibly through
Web Audio, a notification really plays through a running AudioContext, and the level meter
reads the live (fake) microphone track."""

from __future__ import annotations

import pytest

from harness.people import Crowd

pytestmark = pytest.mark.browser

RENDER_ALL = """async () => {
  const packs = '/static/js/media/rules/sound-packs.js';
  const { SOUND_EVENTS, notesFor, soundDuration } = await import(packs);
  const { playSound } = await import('/static/js/media/adapters/sound-player.js');
  const rate = 48000;
  const render = async (pack, event, volume = 1) => {
    const length = soundDuration(notesFor(pack, event)) + 0.2;
    const ctx = new OfflineAudioContext(1, Math.ceil(rate * length), rate);
    playSound(ctx, pack, event, { volume });
    const data = (await ctx.startRendering()).getChannelData(0);
    let peak = 0;
    let last = 0;
    for (let i = 0; i < data.length; i += 1) {
      const a = Math.abs(data[i]);
      if (a > peak) peak = a;
      if (a > 0.002) last = i;
    }
    const expected = soundDuration(notesFor(pack, event));
    return { pack, event, peak, endsAt: last / rate, expected };
  };
  const results = [];
  for (const pack of ['mystical', 'pops', 'retro', 'whispers', 'none']) {
    for (const event of SOUND_EVENTS) results.push(await render(pack, event));
  }
  const half = await render('mystical', 'join', 0.5);
  return { results, half };
}"""

PLAY_LIVE = """async () => {
  const { playSound } = await import('/static/js/media/adapters/sound-player.js');
  const ctx = new AudioContext();
  await ctx.resume();
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 2048;
  const samples = new Float32Array(analyser.fftSize);
  playSound(ctx, 'retro', 'voteStarted', { destination: analyser });
  let loudest = 0;
  for (let i = 0; i < 20; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    analyser.getFloatTimeDomainData(samples);
    loudest = Math.max(loudest, ...samples.map(Math.abs));
  }
  await ctx.close();
  return { state: 'ran', loudest };
}"""

METER = """async () => {
  const { startMicMeter } = await import('/static/js/media/adapters/microphone.js');
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  const ctx = new AudioContext();
  await ctx.resume();
  let loudest = 0;
  let frames = 0;
  const stop = startMicMeter(
    {
      context: ctx,
      track: stream.getAudioTracks()[0],
      createStream: (tracks) => new MediaStream(tracks),
      requestFrame: (fn) => requestAnimationFrame(fn),
      cancelFrame: (handle) => cancelAnimationFrame(handle),
    },
    (level) => {
      frames += 1;
      loudest = Math.max(loudest, level);
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 2500));
  stop();
  const framesAtStop = frames;
  await new Promise((resolve) => setTimeout(resolve, 200));
  stream.getTracks().forEach((track) => track.stop());
  await ctx.close();
  return { loudest, frames: framesAtStop, after: frames - framesAtStop };
}"""


def test_every_sound_is_audible_unclipped_and_as_long_as_its_table_says(crowd: Crowd) -> None:
    alice = crowd.member("alice")
    outcome = alice.page.evaluate(RENDER_ALL)
    for sound in outcome["results"]:
        label = f"{sound['pack']}/{sound['event']}"
        if sound["pack"] == "none":
            assert sound["peak"] == 0, label
            continue
        assert 0.02 < sound["peak"] <= 1, label
        assert sound["endsAt"] <= sound["expected"] + 0.03, label
    full = next(s for s in outcome["results"] if (s["pack"], s["event"]) == ("mystical", "join"))
    assert outcome["half"]["peak"] == pytest.approx(full["peak"] / 2, rel=0.05)


def test_a_notification_sound_plays_through_a_running_audio_context(crowd: Crowd) -> None:
    alice = crowd.member("alice")
    outcome = alice.page.evaluate(PLAY_LIVE)
    assert outcome["loudest"] > 0.02


def test_the_mic_meter_reads_the_live_microphone_track(crowd: Crowd) -> None:
    alice = crowd.member("alice")
    outcome = alice.page.evaluate(METER)
    assert outcome["frames"] > 10, "the meter updates every frame"
    assert outcome["loudest"] > 0.01, "Chromium's fake microphone beeps"
    assert outcome["after"] == 0, "stopping the meter stops it"
