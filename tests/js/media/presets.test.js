import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  DEFAULT_PRESET,
  SCREEN_SHARE_PRESETS,
  isPresetKey,
  presetFor,
  screenShareCaptureOptions,
  screenShareOptions,
  screenSharePublishOptions,
} from '../../../static/js/media/rules/share-presets.js';

const VP9 = { videoCodec: 'vp9', backupCodec: false, reason: '' };
const AV1 = { videoCodec: 'av1', backupCodec: { codec: 'vp8' }, reason: '' };
const VP8 = { videoCodec: 'vp8', backupCodec: false, reason: '' };

describe('the presets', () => {
  test('are the four 1.x presets in menu order, with their 1.x labels', () => {
    assert.deepEqual(
      SCREEN_SHARE_PRESETS.map((p) => [p.key, p.label]),
      [
        ['low', 'Low (720p 30fps)'],
        ['medium', 'Medium (1080p 30fps)'],
        ['high', 'High (1080p 60fps)'],
        ['ultra', 'Ultra (Native 120fps)'],
      ],
    );
  });

  test('keep the 1.x capture sizes, rates and bitrates, with Native raised to 20 Mbps', () => {
    assert.deepEqual(
      SCREEN_SHARE_PRESETS.map((p) => [p.width, p.height, p.frameRate, p.maxBitrate, p.contentHint]),
      [
        [1280, 720, 30, 1_500_000, 'detail'],
        [1920, 1080, 30, 3_000_000, 'detail'],
        [1920, 1080, 60, 5_000_000, 'motion'],
        [null, null, 120, 20_000_000, 'motion'],
      ],
    );
  });

  test('medium is the default, and unknown keys fall back to it', () => {
    assert.equal(DEFAULT_PRESET, 'medium');
    assert.equal(presetFor('nonsense').key, 'medium');
    assert.equal(presetFor(undefined).key, 'medium');
    assert.equal(presetFor('high').key, 'high');
    assert.equal(isPresetKey('ultra'), true);
    assert.equal(isPresetKey('tribal'), false);
  });

  test('cannot be modified by a caller', () => {
    assert.throws(() => {
      SCREEN_SHARE_PRESETS[0].maxBitrate = 1;
    }, TypeError);
  });
});

describe('capture options', () => {
  test('a sized preset asks for its resolution and frame rate', () => {
    const capture = screenShareCaptureOptions(presetFor('high'), { audio: false });
    assert.deepEqual(capture.resolution, { width: 1920, height: 1080, frameRate: 60 });
    assert.equal(capture.video, true);
    assert.equal(capture.contentHint, 'motion');
  });

  test('Native is uncapped (0×0, livekit-client\'s "no constraint") and still asks for 120 fps', () => {
    const capture = screenShareCaptureOptions(presetFor('ultra'), { audio: false });
    assert.deepEqual(capture.resolution, { width: 0, height: 0, frameRate: 120 });
    assert.deepEqual(capture.video, { frameRate: { ideal: 120 } });
  });

  test('audio is optional, and when on it is captured without voice processing', () => {
    assert.equal(screenShareCaptureOptions(presetFor('low'), { audio: false }).audio, false);
    assert.equal(screenShareCaptureOptions(presetFor('low'), { audio: false }).systemAudio, 'exclude');
    const withAudio = screenShareCaptureOptions(presetFor('low'), { audio: true });
    assert.deepEqual(withAudio.audio, { echoCancellation: false, noiseSuppression: false, autoGainControl: false });
    assert.equal(withAudio.systemAudio, 'include');
  });

  test('the current tab is not offered, so a share cannot show the call inside itself', () => {
    assert.equal(screenShareCaptureOptions(presetFor('medium'), { audio: true }).selfBrowserSurface, 'exclude');
  });
});

describe('publish options', () => {
  test('carry the codec choice and the preset bitrate and frame rate as the encoding', () => {
    const publish = screenSharePublishOptions(presetFor('ultra'), AV1);
    assert.equal(publish.videoCodec, 'av1');
    assert.deepEqual(publish.backupCodec, { codec: 'vp8' });
    assert.deepEqual(publish.screenShareEncoding, { maxBitrate: 20_000_000, maxFramerate: 120 });
  });

  test('SVC codecs get L1T3, the mode LiveKit really uses for screen shares', () => {
    assert.equal(screenSharePublishOptions(presetFor('low'), VP9).scalabilityMode, 'L1T3');
    assert.equal(screenSharePublishOptions(presetFor('high'), AV1).scalabilityMode, 'L1T3');
  });

  test('VP8 sends no scalability mode (it simulcasts)', () => {
    assert.equal('scalabilityMode' in screenSharePublishOptions(presetFor('medium'), VP8), false);
  });

  test('text presets keep resolution under congestion, motion presets keep frame rate', () => {
    assert.equal(screenSharePublishOptions(presetFor('low'), VP9).degradationPreference, 'maintain-resolution');
    assert.equal(screenSharePublishOptions(presetFor('medium'), VP9).degradationPreference, 'maintain-resolution');
    assert.equal(screenSharePublishOptions(presetFor('high'), VP9).degradationPreference, 'maintain-framerate');
    assert.equal(screenSharePublishOptions(presetFor('ultra'), VP9).degradationPreference, 'maintain-framerate');
  });

  test('use only current option names (no deprecated e2ee key, nothing unknown)', () => {
    const { capture, publish } = screenShareOptions(presetFor('medium'), VP9, { audio: true });
    const allowedPublish = [
      'videoCodec',
      'backupCodec',
      'screenShareEncoding',
      'scalabilityMode',
      'degradationPreference',
    ];
    const allowedCapture = [
      'audio',
      'resolution',
      'video',
      'contentHint',
      'systemAudio',
      'selfBrowserSurface',
      'surfaceSwitching',
    ];
    assert.deepEqual(
      Object.keys(publish).filter((k) => !allowedPublish.includes(k)),
      [],
    );
    assert.deepEqual(
      Object.keys(capture).filter((k) => !allowedCapture.includes(k)),
      [],
    );
  });
});
