import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { normaliseVolumes, volumeOf, withVolume } from '../../../static/js/media/rules/volume.js';
import { MusicModel } from '../../../static/js/music/music-model.js';
import { popoverView, showsMusicButton, tileTitle } from '../../../static/js/music/music-view-model.js';

const stations = [
  { id: 'chill', name: 'Chill FM', genre: 'Chillout', url: 'x' },
  { id: 'jazz', name: 'Jazz FM', genre: 'Jazz', url: 'y' },
];
const status = (extra = {}) => ({
  mode: 'radio', paused: false, nowPlaying: 'Chill FM', currentStation: stations[0], queue: [], stations,
  roomId: 7, enabled: true, locked: false, error: null, ...extra,
});

describe('bots share one volume, 5 % by default (2.x)', () => {
  test('the DJ and every pipe read and write the same volume', () => {
    assert.equal(volumeOf({}, '__music-bot__'), 0.05);
    assert.equal(volumeOf({}, '__pipe-3-abc__'), 0.05);
    const set = withVolume({}, '__pipe-3-abc__', 0.4);
    assert.deepEqual(set, { '__music-bot__': 0.4 });
    assert.equal(volumeOf(set, '__music-bot__'), 0.4);
    assert.equal(volumeOf(set, '__pipe-9-other__'), 0.4);
  });

  test('a bot set to 100 % stays at 100 % after a reload; people keep their own default', () => {
    const full = withVolume({}, '__music-bot__', 1);
    assert.deepEqual(normaliseVolumes(full), { '__music-bot__': 1 });
    assert.deepEqual(withVolume(full, '__music-bot__', 0.05), {});
    assert.equal(volumeOf({}, 'alice'), 1);
    // A username is never a bot, even one that looks a little like one.
    assert.equal(volumeOf({}, '__pipe'), 1);
  });
});

describe('the DJ popover', () => {
  test('waits for the status, then shows 2.x\'s lines', () => {
    assert.deepEqual(popoverView(null, { canConfigure: false }), { loading: true, loadingText: 'Connecting to music bot...' });
    const view = popoverView(status(), { canConfigure: false });
    assert.equal(view.nowPlaying, 'Chill FM');
    assert.equal(view.subtitle, 'Chill FM · Chillout');
    assert.equal(view.showSkip, false);
    assert.deepEqual(view.stations?.map((s) => [s.label, s.selected]), [['Chill FM (Chillout)', true], ['Jazz FM (Jazz)', false]]);
    assert.equal(view.queueHeading, 'Queue (0)');
  });

  test('paused, queue and pipe modes read as 2.x wrote them', () => {
    const queue = [{ id: 'a', url: 'u', title: 'Song', addedBy: 'Bob' }];
    const paused = popoverView(status({ paused: true, mode: 'queue', nowPlaying: 'Track', queue }), { canConfigure: true });
    assert.equal(paused.nowPlaying, '(Paused) Track');
    assert.equal(paused.pauseLabel, '▶');
    assert.equal(paused.showSkip, true);
    assert.equal(paused.queueHeading, 'Queue (1)');
    const piped = popoverView(status({ mode: 'external', nowPlaying: 'Live', streamer: 'Carol' }), { canConfigure: false });
    assert.equal(piped.subtitle, 'Piped by Carol');
    assert.equal(popoverView(status({ nowPlaying: null }), { canConfigure: false }).nowPlaying, 'Nothing playing');
  });

  test('the button shows while the DJ is in the call, or to whoever may turn music on', () => {
    assert.equal(showsMusicButton([{ identity: 'alice' }], false), false);
    assert.equal(showsMusicButton([{ identity: '__music-bot__' }], false), true);
    assert.equal(showsMusicButton([], true), true);
  });
});

describe('bot tiles', () => {
  test('the DJ scrolls what plays; a pipe its title, else its name, else Streaming', () => {
    assert.equal(tileTitle({ identity: '__music-bot__' }, status({ nowPlaying: 'Song' })), 'Song');
    assert.equal(tileTitle({ identity: '__music-bot__' }, status({ nowPlaying: 'Song', paused: true })), '(Paused) Song');
    const pipe = { identity: '__pipe-1-s__', name: "Bob's stream", metadata: '{"pipeTitle":"Mix"}' };
    assert.equal(tileTitle(pipe, null), 'Mix');
    assert.equal(tileTitle({ ...pipe, metadata: 'nope' }, null), "Bob's stream");
    assert.equal(tileTitle({ identity: '__pipe-1-s__', name: '__pipe-1-s__', metadata: '' }, null), 'Streaming');
  });
});

describe('the music model', () => {
  const api = (answers = {}) => {
    const calls = [];
    return {
      calls,
      request: async (method, path, options) => {
        calls.push([method, path, options?.body]);
        const answer = answers[path];
        if (answer instanceof Error) throw answer;
        return answer ?? {};
      },
    };
  };

  test('loads once per room, then follows music:status frames of its own room only', async () => {
    let room = 7;
    const client = api({ '/api/music/status?roomId=7': status() });
    const model = new MusicModel({ api: client, roomId: () => room });
    await model.ensureLoaded();
    await model.ensureLoaded();
    assert.equal(client.calls.length, 1);
    model.handleFrame('music:status', status({ roomId: 8, nowPlaying: 'Elsewhere' }));
    assert.equal(model.status?.nowPlaying, 'Chill FM');
    model.handleFrame('music:status', status({ paused: true }));
    assert.equal(model.status?.paused, true);
    room = 8;
    await model.ensureLoaded();
    assert.equal(client.calls.at(-1)?.[1], '/api/music/status?roomId=8');
  });

  test('an action names the room, and a refusal is kept to show', async () => {
    const client = api({ '/api/music/skip': new Error('Music in this room is locked by its creator') });
    const model = new MusicModel({ api: client, roomId: () => 7 });
    await model.station('jazz');
    assert.deepEqual(client.calls[0], ['POST', '/api/music/station', { roomId: 7, stationId: 'jazz' }]);
    await model.skip();
    assert.equal(model.error, 'Music in this room is locked by its creator');
  });
});
