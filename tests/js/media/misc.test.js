import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { devicesOfKind, deviceLabel, pickDevice, rememberDevice } from '../../../static/js/media/rules/device-choice.js';
import { decryptionErrorText, participantEncryption, roomEncryption } from '../../../static/js/media/rules/encryption.js';
import { meterColour, meterPercent, receivingAudio, rmsLevel } from '../../../static/js/media/rules/level-meter.js';
import { decodePeerState, encodePeerState } from '../../../static/js/media/rules/peer-state.js';

describe('devices', () => {
  const mics = [
    { deviceId: 'default', label: 'Default - USB Mic', kind: 'audioinput' },
    { deviceId: 'aaa111bbb222', label: 'USB Mic', kind: 'audioinput' },
    { deviceId: 'ccc333', label: 'Webcam Mic', kind: 'audioinput' },
  ];

  test('a remembered device is found by id', () => {
    assert.equal(pickDevice({ deviceId: 'ccc333', label: 'Webcam Mic' }, mics), 'ccc333');
  });

  test('a rotated id is recovered by label', () => {
    assert.equal(pickDevice({ deviceId: 'old-id', label: 'USB Mic' }, mics), 'aaa111bbb222');
  });

  test('a device that is gone (or nothing remembered) means the system default', () => {
    assert.equal(pickDevice({ deviceId: 'gone', label: 'Bluetooth Headset' }, mics), null);
    assert.equal(pickDevice({ deviceId: 'gone', label: '' }, [{ deviceId: 'x', label: '', kind: 'audioinput' }]), null);
    assert.equal(pickDevice(null, mics), null);
  });

  test('labels: the device label, else 1.x\'s "<Kind> <first 8 of id>"', () => {
    assert.equal(deviceLabel(mics[1]), 'USB Mic');
    assert.equal(deviceLabel({ deviceId: 'abcdef0123456789', label: '', kind: 'audioinput' }), 'Microphone abcdef01');
    assert.equal(deviceLabel({ deviceId: 'abcdef0123456789', label: '', kind: 'videoinput' }), 'Camera abcdef01');
    assert.equal(deviceLabel({ deviceId: 'default', label: '', kind: 'audiooutput' }), 'Default speaker');
  });

  test('rememberDevice keeps id and label; devicesOfKind filters and drops duplicates', () => {
    assert.deepEqual(rememberDevice(mics[1]), { deviceId: 'aaa111bbb222', label: 'USB Mic' });
    const all = [...mics, mics[1], { deviceId: 'spk', label: 'Speakers', kind: 'audiooutput' }];
    assert.deepEqual(
      devicesOfKind(all, 'audioinput').map((d) => d.deviceId),
      ['default', 'aaa111bbb222', 'ccc333'],
    );
  });
});

describe('encryption status', () => {
  const pubs = (...flags) => new Map(flags.map((isEncrypted, i) => [`TR${i}`, { isEncrypted }]));

  test('a participant is encrypted only if all their tracks are', () => {
    assert.equal(participantEncryption({ trackPublications: pubs(true, true) }), 'encrypted');
    assert.equal(participantEncryption({ trackPublications: pubs(true, false) }), 'unencrypted');
    assert.equal(participantEncryption({ trackPublications: pubs() }), 'no-media');
  });

  test('the room lock: encrypted, mixed (naming who is not), transport only, unsupported', () => {
    const remotes = [
      { name: 'Bob', status: 'encrypted' },
      { name: 'Old Client', status: 'unencrypted' },
      { name: 'Lurker', status: 'no-media' },
    ];
    const mixed = roomEncryption({ supported: true, enabled: true, remotes });
    assert.equal(mixed.status, 'mixed');
    assert.deepEqual(mixed.unencrypted, ['Old Client']);
    assert.match(mixed.text, /Old Client/);
    assert.equal(roomEncryption({ supported: true, enabled: true, remotes: remotes.slice(0, 1) }).status, 'encrypted');
    assert.equal(roomEncryption({ supported: true, enabled: false, remotes }).status, 'transport-only');
    assert.equal(roomEncryption({ supported: false, enabled: false, remotes }).status, 'unsupported');
  });

  test('decryption errors name the participant', () => {
    assert.match(decryptionErrorText('Bob'), /Bob/);
    assert.ok(decryptionErrorText(undefined).length > 0);
  });
});

describe('mic meter', () => {
  test('RMS of time-domain samples', () => {
    assert.equal(rmsLevel(new Float32Array(128)), 0);
    assert.ok(Math.abs(rmsLevel(Float32Array.from({ length: 256 }, (_, i) => (i % 2 ? 0.5 : -0.5))) - 0.5) < 1e-6);
    assert.equal(rmsLevel([]), 0);
  });

  test('bar width doubles the level (1.x) and caps at 100 %', () => {
    assert.equal(meterPercent(0.25), 50);
    assert.equal(meterPercent(0.9), 100);
  });

  test('green, yellow above 0.3, red above 0.6; "Receiving audio" above 0.01', () => {
    assert.deepEqual([0.1, 0.31, 0.61].map(meterColour), ['green', 'yellow', 'red']);
    assert.equal(receivingAudio(0.005), false);
    assert.equal(receivingAudio(0.02), true);
  });
});

describe('peer state messages', () => {
  test('round-trip', () => {
    assert.deepEqual(decodePeerState(encodePeerState({ deafened: true })), { deafened: true });
    assert.deepEqual(decodePeerState(encodePeerState({ deafened: false })), { deafened: false });
  });

  test('malformed or foreign payloads are ignored', () => {
    const bytes = (text) => new TextEncoder().encode(text);
    assert.equal(decodePeerState(bytes('nope')), null);
    assert.equal(decodePeerState(bytes('{"v":2,"deafened":true}')), null);
    assert.equal(decodePeerState(bytes('{"v":1,"deafened":"yes"}')), null);
    assert.equal(decodePeerState(new Uint8Array([0xff, 0xfe])), null);
  });
});
