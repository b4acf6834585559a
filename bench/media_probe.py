"""What `bench.media_call` puts into pages and reads from /proc: a tone source in place of the
microphone, an ear on the decoded remote audio, and the CPU time of processes.

Every page of one browser reads the same system clock (`performance.timeOrigin +
performance.now()`, sub-millisecond), so a time taken in the speaker's page and one taken in the
listener's page can be subtracted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# Installed in every page before its scripts run. `window.__probe`:
# - the microphone is a 440 Hz oscillator behind a gain, silent until `tone(true)`, which returns
#   the moment the gain opened (the camera stays Chromium's fake one);
# - an analyser on every decoded remote audio source (a track some RTCPeerConnection received, fed
#   to Web Audio by the page), polled every few ms once `arm()`ed: `heardAt` is the first moment a
#   sample crossed `threshold`;
# - `clickAt` is the moment of the last click anywhere in the page.
PROBE = """(() => {
  const clock = () => performance.timeOrigin + performance.now();
  const probe = { threshold: 0.05, armedAt: null, heardAt: null, clickAt: null, taps: [] };
  window.__probe = probe;
  window.__peers = window.__peers || [];

  const remote = new Set();
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      window.__peers.push(this);
      this.addEventListener('track', (event) => remote.add(event.track.id));
    }
  };
  const createSource = AudioContext.prototype.createMediaStreamSource;
  AudioContext.prototype.createMediaStreamSource = function (stream) {
    const node = createSource.call(this, stream);
    const track = stream.getAudioTracks()[0];
    if (track && remote.has(track.id)) {
      const tap = this.createAnalyser();
      tap.fftSize = 256;
      node.connect(tap);
      probe.taps.push(tap);
    }
    return node;
  };
  const samples = new Float32Array(256);
  probe.level = () => {
    let peak = 0;
    for (const tap of probe.taps) {
      tap.getFloatTimeDomainData(samples);
      for (const value of samples) peak = Math.max(peak, Math.abs(value));
    }
    return peak;
  };
  probe.arm = (forget) => {
    if (forget) probe.taps.length = 0;
    probe.heardAt = null;
    probe.armedAt = clock();
  };
  setInterval(() => {
    if (probe.armedAt === null || probe.heardAt !== null) return;
    if (probe.level() > probe.threshold) probe.heardAt = clock();
  }, 2);
  document.addEventListener('click', (event) => {
    probe.clickAt = performance.timeOrigin + event.timeStamp;
  }, true);

  let source = null;
  const tone = () => {
    if (source) return source;
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    osc.frequency.value = 440;
    const gain = ctx.createGain();
    gain.gain.value = 0;
    const out = ctx.createMediaStreamDestination();
    osc.connect(gain);
    gain.connect(out);
    osc.start();
    source = { ctx, gain, out };
    return source;
  };
  probe.tone = (on) => {
    const { ctx, gain } = tone();
    gain.gain.setValueAtTime(on ? 0.5 : 0, ctx.currentTime);
    return clock();
  };
  const devices = navigator.mediaDevices;
  const getUserMedia = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints) => {
    if (!constraints || !constraints.audio) return getUserMedia(constraints);
    const video = constraints.video
      ? (await getUserMedia({ video: constraints.video })).getVideoTracks()
      : [];
    return new MediaStream([tone().out.stream.getAudioTracks()[0].clone(), ...video]);
  };
})();"""

# For the publishers' pages, which keep Chromium's fake microphone: only their peer connections
# are kept, to count the video streams they decode.
PEERS = """(() => {
  const peers = [];
  window.__peers = peers;
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(...args) { super(...args); peers.push(this); }
  };
})();"""

# Each inbound stream's progress so far, by track, across the page's peer connections, for
# `kind` "video" or "audio". Video: frames decoded. Audio: samples decoded from real packets
# (received less concealed), which grows only for a voice that arrives and decrypts (frames that
# fail to decrypt are dropped, and the jitter buffer conceals them). Not `totalAudioEnergy`: on our
# page it stayed 0 for voices that a listener on LiveKit's Python SDK heard and decrypted.
INBOUND = """async (kind) => {
  const counts = {};
  for (const pc of window.__peers) {
    if (pc.connectionState === 'closed') continue;
    (await pc.getStats()).forEach((stat) => {
      if (stat.type !== 'inbound-rtp' || stat.kind !== kind) return;
      counts[stat.trackIdentifier] = kind === 'video'
        ? stat.framesDecoded || 0
        : (stat.totalSamplesReceived || 0) - (stat.concealedSamples || 0);
    });
  }
  return counts;
}"""

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time of `pid` so far, or None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name may hold spaces and parentheses: the fields start after the last ')'.
    fields = text[text.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _parents() -> dict[int, int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(text[text.rindex(")") + 2 :].split()[1])
    return parents


def descendants(root: int) -> list[int]:
    """Every process under `root` (children, their children, ...)."""
    children: dict[int, list[int]] = {}
    for pid, parent in _parents().items():
        children.setdefault(parent, []).append(pid)
    found, queue = [], [root]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def chromium_kind(pid: int) -> str | None:
    """'browser', 'renderer', 'gpu-process', 'utility', 'zygote'... for Chromium's processes."""
    try:
        # Chromium's child processes rewrite their title: one string, arguments split by spaces.
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").split()
    except OSError:
        return None
    if not argv or b"chromium" not in argv[0]:
        return None
    if b"--top-chrome-webui" in argv:
        return "webui"  # the browser's own UI renderer, not a page
    for arg in argv[1:]:
        if arg.startswith(b"--type="):
            return arg[len(b"--type=") :].decode()
    return "browser"


@dataclass
class CpuWindow:
    """CPU used by processes over one wall-clock window."""

    seconds: float
    by_pid: dict[int, float]

    def percent(self, pids: list[int]) -> float:
        """Share of one core used by `pids` together over the window."""
        return 100 * sum(self.by_pid.get(pid, 0.0) for pid in pids) / self.seconds


def chromium_processes() -> dict[int, str]:
    """Our own Chromium's processes (under this Python process) by kind; other people's
    browsers on the machine are not ours to count."""
    kinds = {pid: chromium_kind(pid) for pid in descendants(os.getpid())}
    return {pid: kind for pid, kind in kinds.items() if kind is not None}
