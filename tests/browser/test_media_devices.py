"""Device choices in real Chromium with fake devices: the lists are filled, and a chosen
microphone and speaker survive a reload, applied to the capture defaults and the audio output."""

from __future__ import annotations

import pytest

from harness.people import Crowd

pytestmark = pytest.mark.browser

SETUP = """async () => {
  const { createMediaSettings } = await import('/static/js/media/adapters/saved-settings.js');
  const { createDeviceManager } = await import('/static/js/media/adapters/media-devices.js');
  const { createAudioGraph } = await import('/static/js/media/adapters/audio-graph.js');
  const graph = createAudioGraph({
    createContext: () => new AudioContext(),
    createElement: (tag) => document.createElement(tag),
    createStream: (tracks) => new MediaStream(tracks),
    elementSinkSupported: 'setSinkId' in HTMLMediaElement.prototype,
  });
  const devices = createDeviceManager({
    mediaDevices: navigator.mediaDevices,
    settings: createMediaSettings(),
    setOutputDevice: graph.setOutputDevice,
    onChange: () => {},
  });
  window.__devices = devices;
  window.__graph = graph;
  const lists = await devices.refresh();
  const labels = (kind) => lists[kind].map((d) => d.label);
  const kinds = ['audioinput', 'audiooutput', 'videoinput'];
  return Object.fromEntries(kinds.map((kind) => [kind, labels(kind)]));
}"""

CHOOSE = """async ([mic, speaker]) => {
  const lists = window.__devices.lists;
  const micId = lists.audioinput.find((d) => d.label === mic).deviceId;
  const speakerId = lists.audiooutput.find((d) => d.label === speaker).deviceId;
  await window.__devices.choose('audioinput', micId, null);
  await window.__devices.choose('audiooutput', speakerId, null);
  return { micId, speakerId, sink: window.__graph.context.sinkId };
}"""

PREPARE_JOIN = """async () => {
  const prepared = await window.__devices.prepareJoin();
  return { ...prepared, sink: window.__graph.context.sinkId,
           stored: Object.keys(localStorage).filter((k) => k.startsWith('distokoloshe.')) };
}"""


def test_device_lists_show_the_fake_devices(crowd: Crowd) -> None:
    alice = crowd.member("alice")
    lists = alice.page.evaluate(SETUP)
    assert "Fake Audio Input 1" in lists["audioinput"]
    assert "Fake Audio Output 1" in lists["audiooutput"]
    assert len(lists["videoinput"]) >= 1


def test_chosen_microphone_and_speaker_survive_a_reload(crowd: Crowd) -> None:
    alice = crowd.member("alice")
    alice.page.evaluate(SETUP)
    chosen = alice.page.evaluate(CHOOSE, ["Fake Audio Input 2", "Fake Audio Output 1"])
    assert chosen["sink"] == chosen["speakerId"], "the speaker switches at once"

    alice.page.reload()
    alice.page.evaluate(SETUP)
    prepared = alice.page.evaluate(PREPARE_JOIN)
    # The next join captures from the remembered microphone and plays on the remembered speaker.
    assert prepared["audioDeviceId"] == chosen["micId"]
    assert prepared["sink"] == chosen["speakerId"]
    assert "distokoloshe.v2.devices" in prepared["stored"]
