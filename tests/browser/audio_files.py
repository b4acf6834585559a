"""Fake microphones made at test time (sox, espeak-ng) and what a saved WAV holds, in pure
Python (the standard library's `wave`, and the Goertzel filter for the power at one frequency)."""

from __future__ import annotations

import array
import math
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page

RATE = 48_000


def tone_wav(path: Path, *, hz: float, seconds: float = 30.0) -> Path:
    """A steady sine at `hz`, half scale, 48 kHz mono 16-bit (Chromium loops the file)."""
    subprocess.run(
        [
            "sox",
            "-n",
            "-r",
            str(RATE),
            "-c",
            "1",
            "-b",
            "16",
            str(path),
            "synth",
            str(seconds),
            "sine",
            str(hz),
            "vol",
            "0.5",
        ],
        check=True,
    )
    return path


def noisy_speech_wav(path: Path, *, seconds: float = 20.0, noise_volume: float = 0.08) -> Path:
    """Speech (espeak-ng) over steady white noise, 48 kHz mono 16-bit: a voice in a noisy room."""
    work = path.parent
    speech = work / "speech-raw.wav"
    text = (
        "The quick brown fox jumps over the lazy dog. "
        "Please say something so that everybody in the room can hear you clearly. "
    ) * 4
    subprocess.run(["espeak-ng", "-s", "150", "-w", str(speech), text], check=True)
    speech48 = work / "speech-48k.wav"
    subprocess.run(
        [
            "sox",
            str(speech),
            "-r",
            str(RATE),
            "-c",
            "1",
            "-b",
            "16",
            str(speech48),
            "trim",
            "0",
            str(seconds),
            "pad",
            "0",
            str(seconds),
        ],
        check=True,
    )
    noise = work / "noise.wav"
    subprocess.run(
        [
            "sox",
            "-n",
            "-r",
            str(RATE),
            "-c",
            "1",
            "-b",
            "16",
            str(noise),
            "synth",
            str(seconds),
            "whitenoise",
            "vol",
            str(noise_volume),
        ],
        check=True,
    )
    subprocess.run(
        ["sox", "-m", str(speech48), str(noise), str(path), "trim", "0", str(seconds)], check=True
    )
    return path


@dataclass
class Wav:
    rate: int
    channels: int
    bits: int
    samples: list[float]

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate


def read_wav(path: Path) -> Wav:
    """A 16-bit PCM WAV's samples as floats in -1..1."""
    with wave.open(str(path), "rb") as wav:
        channels, width, rate = wav.getnchannels(), wav.getsampwidth(), wav.getframerate()
        raw = wav.readframes(wav.getnframes())
    assert width == 2, f"expected 16-bit PCM, got {8 * width}-bit"
    pcm = array.array("h", raw)
    return Wav(rate=rate, channels=channels, bits=16, samples=[s / 32768 for s in pcm])


def power_at(samples: list[float], rate: int, hz: float) -> float:
    """Mean power of the component at `hz` (Goertzel), comparable between frequencies."""
    coeff = 2 * math.cos(2 * math.pi * hz / rate)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + coeff * s1 - s2, s1
    return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / (len(samples) ** 2)


def rms(samples: list[float]) -> float:
    return math.sqrt(sum(x * x for x in samples) / len(samples)) if samples else 0.0


# Whether this Chromium loads an AudioWorklet module at all: on some machines (headless
# Chromium 156 on the build machine here) addModule never settles, not even for a one-line
# module, and the module is never even requested.
WORKLETS_LOAD = """async () => {
  const url = JSON.parse(document.getElementById('app-config').textContent).audioWorklets.soundbite;
  const context = new OfflineAudioContext(1, 128, 48000);
  const late = new Promise((resolve) => setTimeout(() => resolve(false), 8000));
  return Promise.race([context.audioWorklet.addModule(url).then(() => true, () => false), late]);
}"""


def skip_without_audio_worklets(page: Page) -> None:
    """Skips the test, saying why, where this Chromium cannot load AudioWorklet modules."""
    if not page.evaluate(WORKLETS_LOAD):
        pytest.skip("this Chromium never loads an AudioWorklet module (addModule does not settle)")
