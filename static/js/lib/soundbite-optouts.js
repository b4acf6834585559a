// Who opted out of soundbites, as the server says: the hello snapshot's list, then each
// `user:soundbite_opt_out` event. The call stops recording them at once and the tiles say so.
// Also my own choice (2.x's "Disable soundbite clips of me"), changed optimistically and put
// back if the server refuses.

import { createEmitter } from './emitter.js';

/**
 * @param {object} deps
 * @param {string} deps.me  my username
 * @param {{ request: (method: string, path: string, options?: any) => Promise<any> }} deps.api
 */
export function createSoundbiteOptOuts({ me, api }) {
  /** @type {Set<string>} */
  let usernames = new Set();
  const events = createEmitter();
  const changed = () => events.emit('change', undefined);

  /** @param {string} username @param {boolean} out */
  function mark(username, out) {
    if (usernames.has(username) === out) return;
    usernames = new Set(usernames);
    if (out) usernames.add(username);
    else usernames.delete(username);
    changed();
  }

  return {
    /** @param {string} type @param {any} data */
    handleFrame(type, data) {
      if (type === 'hello' && Array.isArray(data?.soundbiteOptOut)) {
        usernames = new Set(data.soundbiteOptOut.filter((/** @type {unknown} */ n) => typeof n === 'string'));
        changed();
      } else if (type === 'user:soundbite_opt_out' && typeof data?.user?.username === 'string') {
        mark(data.user.username, data.soundbiteOptOut === true);
      }
    },
    get usernames() {
      return usernames;
    },
    /** Whether I opted out. */
    get mine() {
      return usernames.has(me);
    },
    /**
     * Opts me out (or back in). Resolves to null, or the server's refusal, after which the
     * choice shown is put back.
     * @param {boolean} out
     * @returns {Promise<string | null>}
     */
    async setMine(out) {
      const before = usernames.has(me);
      mark(me, out);
      try {
        await api.request('POST', '/api/users/me/settings', { body: { soundbiteOptOut: out } });
        return null;
      } catch (error) {
        mark(me, before);
        return error instanceof Error ? error.message : 'Could not save the setting';
      }
    },
    /** @param {() => void} listener */
    subscribe: (listener) => events.on('change', listener),
  };
}

/** @typedef {ReturnType<typeof createSoundbiteOptOuts>} SoundbiteOptOuts */
