import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { ApiError } from '../../static/js/lib/api.js';
import { Bubbles, LIFE_MS, MAX_PER_TILE, MERGE_MS } from '../../static/js/chat/bubbles.js';
import { ChatController, HISTORY_PAGE } from '../../static/js/chat/chat-model.js';
import { canDeleteLine } from '../../static/js/chat/permissions.js';
import { chatPieces, mentionsMe, safeHref } from '../../static/js/chat/text.js';

const BOB = { id: 2, username: 'bob', display_name: 'Bob' };
const CAROL = { id: 3, username: 'carol', display_name: 'Carol' };

/** @param {number} id @param {any} [extra] */
const line = (id, extra = {}) => ({ id, roomId: 1, user: BOB, text: `line ${id}`, ts: 1000 + id, ...extra });

describe('text pieces', () => {
  test('links become http(s) links without the sentence around them', () => {
    assert.deepEqual(chatPieces('see https://example.com/a?b=1. ok'), [
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { kind: 'text', text: '. ok' },
    ]);
    assert.equal(chatPieces('(https://example.com/x_(y))')[1].text, 'https://example.com/x_(y)');
  });

  test('anything but http(s) stays text, markup included', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,<b>x</b>', '<img src=x onerror=alert(1)>']) {
      assert.deepEqual(chatPieces(text), [{ kind: 'text', text }]);
    }
    assert.equal(safeHref('javascript:alert(1)'), null);
    assert.equal(safeHref('https://example.com'), 'https://example.com/');
  });

  test('a mention counts only for someone in the room, and marks mine', () => {
    const who = { members: ['bob', 'Carol'], me: 'carol' };
    assert.deepEqual(chatPieces('hi @CAROL and @bob, not @dave', who), [
      { kind: 'text', text: 'hi ' },
      { kind: 'mention', text: '@CAROL', username: 'Carol', me: true },
      { kind: 'text', text: ' and ' },
      { kind: 'mention', text: '@bob', username: 'bob', me: false },
      { kind: 'text', text: ', not @dave' },
    ]);
    assert.equal(mentionsMe('hey @carol', ['carol'], 'carol'), true);
    assert.equal(mentionsMe('hey @carolyn', ['carol', 'carolyn'], 'carol'), false);
    assert.equal(mentionsMe('mail carol@example.com', ['carol'], 'carol'), false);
  });
});

describe('speech bubbles', () => {
  test(`lines within ${MERGE_MS} ms merge, later ones start a bubble`, () => {
    const bubbles = new Bubbles();
    bubbles.add(2, { id: 1, text: 'a' }, 0, false);
    bubbles.add(2, { id: 2, text: 'b' }, MERGE_MS, false);
    bubbles.add(2, { id: 3, text: 'c' }, 2 * MERGE_MS + 1, false);
    const shown = bubbles.current(2, 2 * MERGE_MS + 1);
    assert.deepEqual(shown.map((b) => b.lines.map((l) => l.id)), [[1, 2], [3]]);
  });

  test(`a bubble lives ${LIFE_MS} ms after its last line, at most ${MAX_PER_TILE} per tile`, () => {
    const bubbles = new Bubbles();
    for (let i = 0; i < 5; i += 1) bubbles.add(2, { id: i, text: `${i}` }, i * 4000, false);
    assert.deepEqual(bubbles.current(2, 16000).map((b) => b.lines[0].id), [2, 3, 4]);
    assert.deepEqual(bubbles.current(2, 16000 + LIFE_MS).map((b) => b.lines[0].id), []);
  });

  test('a deleted line leaves its bubble; an empty bubble goes', () => {
    const bubbles = new Bubbles();
    bubbles.add(2, { id: 1, text: 'a' }, 0, true);
    bubbles.remove(1);
    assert.deepEqual(bubbles.current(2, 1), []);
  });
});

test('the delete button is for the author, the room creator and staff', () => {
  const rooms = new Map([[1, { created_by: 9 }]]);
  assert.equal(canDeleteLine({ me: { id: 2 }, rooms }, line(1)), true);
  assert.equal(canDeleteLine({ me: { id: 3 }, rooms }, line(1)), false);
  assert.equal(canDeleteLine({ me: { id: 9 }, rooms }, line(1)), true);
  assert.equal(canDeleteLine({ me: { id: 3, is_staff: true }, rooms }, line(1)), true);
  assert.equal(canDeleteLine({ me: { id: 3 }, rooms }, line(1, { user: null })), false);
});

function setup({ roomId = 1, me = CAROL, api = {} } = {}) {
  /** @type {any[]} */
  const calls = [];
  /** @type {any[]} */
  const emitted = [];
  const room = { roomId: () => roomId, meId: () => me.id, meUsername: () => me.username, members: () => ['bob', 'carol'] };
  const fake = {
    chatHistory: async (/** @type {number} */ id, /** @type {any} */ page) => {
      calls.push(['history', id, page]);
      return { messages: [line(3), line(2)], nextBefore: 2 };
    },
    chatSend: async (/** @type {any} */ body) => calls.push(['send', body]) && { sent: true },
    chatImage: async () => ({ imageId: 'img-1' }),
    chatDelete: async (/** @type {number} */ id) => calls.push(['delete', id]) && { deleted: true },
    ...api,
  };
  let now = 0;
  const chat = new ChatController({ api: fake, hooks: { emit: (n, p) => emitted.push([n, p]) }, room, now: () => now });
  return { chat, calls, emitted, tick: (/** @type {number} */ ms) => (now += ms), setRoom: (/** @type {number} */ id) => (roomId = id) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the chat of the room shown', () => {
  test('following a room loads its newest page, then older pages by cursor', async () => {
    const { chat, calls } = setup({
      api: {
        chatHistory: async (/** @type {number} */ id, /** @type {any} */ page) => {
          calls.push(['history', id, page]);
          return page.before ? { messages: [line(1)], nextBefore: null } : { messages: [line(3), line(2)], nextBefore: 2 };
        },
      },
    });
    chat.follow();
    await settle();
    assert.deepEqual(calls[0], ['history', 1, { limit: HISTORY_PAGE }]);
    assert.deepEqual(chat.ordered().map((l) => l.id), [2, 3]);
    await chat.loadOlder();
    assert.deepEqual(calls[1], ['history', 1, { before: 2, limit: HISTORY_PAGE }]);
    assert.deepEqual(chat.ordered().map((l) => l.id), [1, 2, 3]);
    assert.equal(chat.nextBefore, null);
  });

  test("others' lines sound, bubble and count while the panel is shut; mine only bubble", async () => {
    const { chat, emitted } = setup();
    chat.follow();
    await settle();
    chat.setWatching(false);
    chat.handleFrame('chat:message', line(4, { text: 'hey @carol' }));
    chat.handleFrame('chat:message', line(5, { user: CAROL }));
    chat.handleFrame('chat:message', line(4));
    assert.equal(chat.unread.get(1), 1);
    assert.deepEqual(emitted.map(([name, p]) => [name, p.line.id, p.mentionsMe]), [['chat-message', 4, true]]);
    assert.deepEqual(chat.bubbles.current(BOB.id, 0).length, 1);
    assert.deepEqual(chat.bubbles.current(CAROL.id, 0)[0].mine, true);
    chat.setWatching(true);
    assert.equal(chat.unread.has(1), false);
  });

  test('other rooms count from chat:activity; another room\'s lines are not shown', async () => {
    const { chat } = setup();
    chat.follow();
    await settle();
    chat.handleFrame('chat:activity', { roomId: 7, id: 40 });
    chat.handleFrame('chat:activity', { roomId: 1, id: 41 });
    chat.handleFrame('chat:message', line(42, { roomId: 7 }));
    assert.deepEqual([...chat.unread], [[7, 1]]);
    assert.equal(chat.lines.has(42), false);
  });

  test('chat:deleted takes the line and its bubble away', async () => {
    const { chat } = setup();
    chat.follow();
    await settle();
    chat.handleFrame('chat:message', line(4));
    chat.handleFrame('chat:deleted', { id: 4, roomId: 1 });
    chat.handleFrame('chat:deleted', { id: 3, roomId: 1 });
    assert.deepEqual(chat.ordered().map((l) => l.id), [2]);
    assert.deepEqual(chat.bubbles.current(BOB.id, 0), []);
  });

  test('a reconnect refetches the newest page; lines deleted meanwhile go', async () => {
    let answer = { messages: [line(3), line(2)], nextBefore: null };
    const { chat } = setup({ api: { chatHistory: async () => answer } });
    chat.follow();
    await settle();
    answer = { messages: [line(5), line(2)], nextBefore: null };
    chat.handleFrame('hello', {});
    await settle();
    assert.deepEqual(chat.ordered().map((l) => l.id), [2, 5]);
  });

  test('another room starts afresh and clears its unread count', async () => {
    const { chat, setRoom } = setup();
    chat.follow();
    await settle();
    chat.handleFrame('chat:activity', { roomId: 7, id: 9 });
    setRoom(7);
    chat.follow();
    assert.equal(chat.unread.has(7), false);
    assert.equal(chat.roomId, 7);
  });
});

describe('sending', () => {
  test('an image goes first, then the line with its id', async () => {
    const { chat, calls } = setup();
    assert.equal(await chat.send({ text: ' hi ', image: new Blob(['x']) }), true);
    assert.deepEqual(calls.at(-1), ['send', { text: ' hi ', imageId: 'img-1' }]);
  });

  test('a refused send shows the server\'s message, 429 included, and says so', async () => {
    const { chat } = setup({
      api: { chatSend: async () => { throw new ApiError('Slow down — too many messages', 429); } },
    });
    assert.equal(await chat.send({ text: 'hi' }), false);
    assert.equal(chat.error?.message, 'Slow down — too many messages');
    assert.equal(chat.sending, false);
  });

  test('nothing to send asks nothing of the server', async () => {
    const { chat, calls } = setup();
    assert.equal(await chat.send({ text: '   ' }), false);
    assert.deepEqual(calls, []);
  });

  test('deleting asks the server, then the line goes', async () => {
    const { chat, calls } = setup();
    chat.follow();
    await settle();
    await chat.remove(3);
    assert.deepEqual(calls.at(-1), ['delete', 3]);
    assert.deepEqual(chat.ordered().map((l) => l.id), [2]);
  });
});
