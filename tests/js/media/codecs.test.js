import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { chooseScreenShareCodec, encodableCodecs, engineFromBrowser, sdkPublishes } from '../../../static/js/media/rules/codecs.js';

const caps = (...mimes) => ({ codecs: mimes.map((mimeType) => ({ mimeType })) });
const CHROME_WITH_AV1 = encodableCodecs(caps('video/VP8', 'video/rtx', 'video/VP9', 'video/AV1', 'video/H264'));
const CHROME_NO_AV1 = encodableCodecs(caps('video/VP8', 'video/VP9', 'video/H264'));
const VP8_ONLY = encodableCodecs(caps('video/VP8', 'video/H264'));

describe('engineFromBrowser', () => {
  test('classifies the three engines livekit-client knows', () => {
    assert.equal(engineFromBrowser({ name: 'Chrome', version: '130' }), 'chromium');
    assert.equal(engineFromBrowser({ name: 'Firefox', version: '128' }), 'firefox');
    assert.equal(engineFromBrowser({ name: 'Safari', version: '17.4', os: 'macOS' }), 'safari');
  });

  test('every iOS browser is WebKit whatever it calls itself', () => {
    assert.equal(engineFromBrowser({ name: 'Chrome', os: 'iOS' }), 'safari');
    assert.equal(engineFromBrowser({ name: 'Firefox', os: 'iOS' }), 'safari');
  });

  test('an undetected browser is "other"', () => {
    assert.equal(engineFromBrowser(undefined), 'other');
    assert.equal(engineFromBrowser(null), 'other');
    assert.equal(engineFromBrowser({ name: 'Lynx' }), 'other');
  });
});

describe('encodableCodecs', () => {
  test('lower-cases video mime types and drops everything else', () => {
    const names = encodableCodecs(caps('video/AV1', 'video/VP9', 'audio/opus', 'video/rtx', 'garbage'));
    assert.deepEqual([...names].sort(), ['av1', 'rtx', 'vp9']);
  });

  test('tolerates a browser without getCapabilities (null)', () => {
    assert.equal(encodableCodecs(null).size, 0);
    assert.equal(encodableCodecs({}).size, 0);
  });
});

describe('chooseScreenShareCodec with E2EE on', () => {
  test('Chromium gets VP9 even when it could encode AV1, because AV1 cannot be encrypted yet', () => {
    const choice = chooseScreenShareCodec({ e2ee: true, engine: 'chromium', encodable: CHROME_WITH_AV1 });
    assert.equal(choice.videoCodec, 'vp9');
  });

  test('no backup codec is requested: LiveKit ignores them with E2EE', () => {
    const choice = chooseScreenShareCodec({ e2ee: true, engine: 'chromium', encodable: CHROME_WITH_AV1 });
    assert.equal(choice.backupCodec, false);
  });

  test('Safari-class engines get VP8 even when they list VP9', () => {
    const choice = chooseScreenShareCodec({ e2ee: true, engine: 'safari', encodable: CHROME_WITH_AV1 });
    assert.equal(choice.videoCodec, 'vp8');
  });

  test('Firefox gets VP8: livekit-client refuses VP9 SVC publishing there', () => {
    const choice = chooseScreenShareCodec({ e2ee: true, engine: 'firefox', encodable: CHROME_WITH_AV1 });
    assert.equal(choice.videoCodec, 'vp8');
  });

  test('a browser without a VP9 encoder falls back to VP8', () => {
    assert.equal(chooseScreenShareCodec({ e2ee: true, engine: 'chromium', encodable: VP8_ONLY }).videoCodec, 'vp8');
  });
});

describe('chooseScreenShareCodec with E2EE off', () => {
  test('AV1 wherever it can be encoded, with a VP8 backup for viewers that cannot decode it', () => {
    const choice = chooseScreenShareCodec({ e2ee: false, engine: 'chromium', encodable: CHROME_WITH_AV1 });
    assert.deepEqual([choice.videoCodec, choice.backupCodec], ['av1', { codec: 'vp8' }]);
  });

  test('unknown engines that list AV1 get AV1 too (feature detection, not a browser list)', () => {
    assert.equal(
      chooseScreenShareCodec({ e2ee: false, engine: 'other', encodable: CHROME_WITH_AV1 }).videoCodec,
      'av1',
    );
  });

  test('no AV1 encoder: VP9 with a VP8 backup', () => {
    const choice = chooseScreenShareCodec({ e2ee: false, engine: 'chromium', encodable: CHROME_NO_AV1 });
    assert.deepEqual([choice.videoCodec, choice.backupCodec], ['vp9', { codec: 'vp8' }]);
  });

  test('Safari listing AV1 still gets VP9, which the SDK will actually publish', () => {
    assert.equal(
      chooseScreenShareCodec({ e2ee: false, engine: 'safari', encodable: CHROME_WITH_AV1 }).videoCodec,
      'vp9',
    );
  });

  test('VP8 only: VP8 without a pointless VP8 backup', () => {
    const choice = chooseScreenShareCodec({ e2ee: false, engine: 'chromium', encodable: VP8_ONLY });
    assert.deepEqual([choice.videoCodec, choice.backupCodec], ['vp8', false]);
  });

  test('every choice explains itself', () => {
    for (const e2ee of [true, false]) {
      for (const engine of ['chromium', 'firefox', 'safari', 'other']) {
        const { reason } = chooseScreenShareCodec({ e2ee, engine, encodable: CHROME_WITH_AV1 });
        assert.ok(reason.length > 5, `${engine}/${e2ee}`);
      }
    }
  });
});

test('sdkPublishes mirrors the SDK: AV1 only on Chromium-like engines, VP9 everywhere but Firefox', () => {
  assert.deepEqual(
    ['chromium', 'firefox', 'safari', 'other'].map((engine) => [
      sdkPublishes('av1', engine),
      sdkPublishes('vp9', engine),
      sdkPublishes('vp8', engine),
    ]),
    [
      [true, true, true],
      [false, false, true],
      [false, true, true],
      [true, true, true],
    ],
  );
});
