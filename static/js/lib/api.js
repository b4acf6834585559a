// The HTTP API, as the page uses it: JSON in and out, the session cookie, the CSRF header,
// and errors carrying the server's own message (shown to people verbatim); and the leave
// beacon, sent as the page goes.

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export class ApiError extends Error {
  /**
   * @param {string} message what to show, verbatim
   * @param {number} status HTTP status, 0 when the server could not be reached
   * @param {any} [body]
   */
  constructor(message, status, body = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
  }
}

/**
 * @param {string} name
 * @param {string} cookies document.cookie
 */
export function readCookie(name, cookies) {
  for (const part of cookies.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return '';
}

/**
 * @param {{fetchImpl?: typeof fetch, csrfToken?: () => string, onUnauthorized?: () => void,
 *   beaconImpl?: (url: string, body: URLSearchParams) => boolean}} [options]
 */
export function createApi({
  fetchImpl = (...args) => fetch(...args),
  csrfToken = () => '',
  onUnauthorized = () => {},
  beaconImpl = (url, body) => navigator.sendBeacon(url, body),
} = {}) {
  /**
   * @param {string} method
   * @param {string} path
   * @param {{body?: any, form?: FormData, fallback?: string}} [options]  `form`: a multipart body
   */
  async function request(method, path, { body, form, fallback = 'Request failed' } = {}) {
    /** @type {Record<string, string>} */
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (UNSAFE.has(method)) headers['X-CSRFToken'] = csrfToken();
    let response;
    try {
      response = await fetchImpl(path, {
        method,
        headers,
        credentials: 'same-origin',
        // A FormData body sets its own multipart Content-Type, boundary included.
        body: form ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
    } catch {
      throw new ApiError(fallback === 'Request failed' ? 'Could not reach the server' : fallback, 0);
    }
    let data = null;
    let parsed = true;
    try {
      const text = await response.text();
      data = text ? JSON.parse(text) : {};
    } catch {
      parsed = false;
    }
    if (response.ok && parsed) return data;
    if (response.status === 401) onUnauthorized();
    if (!parsed) throw new ApiError('Request failed', response.status);
    const message = data && typeof data.error === 'string' && data.error ? data.error : fallback;
    throw new ApiError(message, response.status, data);
  }

  return {
    request,
    /** @param {string} username @param {string} password */
    login: (username, password) =>
      request('POST', '/api/session/login', { body: { username, password }, fallback: 'Login failed' }),
    /** @param {string} username @param {string} displayName @param {string} password */
    register: (username, displayName, password) =>
      request('POST', '/api/session/register', {
        body: { username, display_name: displayName, password },
        fallback: 'Registration failed',
      }),
    logout: () => request('POST', '/api/session/logout'),
    me: () => request('GET', '/api/auth/me'),
    rooms: () => request('GET', '/api/rooms'),
    /** @param {string} name @param {'voice'|'video'} type */
    createRoom: (name, type) => request('POST', '/api/rooms', { body: { name, type } }),
    /** @param {number} id */
    deleteRoom: (id) => request('DELETE', `/api/rooms/${id}`),
    members: () => request('GET', '/api/rooms/members'),
    /** @param {number} id */
    joinRoom: (id) => request('POST', `/api/rooms/${id}/join`, { fallback: 'Failed to join room' }),
    /** @param {number} id */
    leaveRoom: (id) => request('POST', `/api/rooms/${id}/leave`),
    /** @param {number} id */
    syncRoom: (id) => request('POST', `/api/rooms/${id}/sync`),
    /**
     * Leaves on purpose as the page goes, by a beacon the browser delivers even while the page
     * unloads. It carries the session cookie; a beacon sets no header, so the CSRF token rides
     * in the form. Naming this page's connection keeps the room of another open tab, and leaves
     * going offline to the grace, so a reload is never seen offline. Whether it was queued.
     * @param {string|null} connection
     */
    leaveBeacon: (connection) => {
      const form = new URLSearchParams({ csrfmiddlewaretoken: csrfToken() });
      if (connection) form.set('connection', connection);
      return beaconImpl('/api/events/leave', form);
    },
    users: () => request('GET', '/api/users'),
    /** @param {number} id @param {'normal'|'whispers'} mode */
    setMode: (id, mode) => request('POST', `/api/rooms/${id}/mode`, { body: { mode } }),
    /** @param {number} id */
    chain: (id) => request('GET', `/api/rooms/${id}/chain`),
    /** @param {number} id */
    roomPunishments: (id) => request('GET', `/api/rooms/${id}/punishments`),
    /** @param {number} targetUserId @param {number} durationSecs */
    startVote: (targetUserId, durationSecs) =>
      request('POST', '/api/votes', { body: { targetUserId, durationSecs } }),
    /** @param {number} voteId @param {boolean} voteYes */
    castBallot: (voteId, voteYes) => request('POST', `/api/votes/${voteId}/ballot`, { body: { voteYes } }),
    activePunishments: () => request('GET', '/api/punishments/active'),
    /** @param {number} id */
    liftPunishment: (id) => request('POST', `/api/punishments/${id}/lift`),
    serverInfo: () => request('GET', '/api/server-info'),
    /** @param {{text?: string, imageId?: string}} body */
    chatSend: (body) => request('POST', '/api/chat/send', { body }),
    /** @param {Blob} image */
    chatImage: (image) => {
      const form = new FormData();
      form.append('image', image, image instanceof File ? image.name : 'image');
      return request('POST', '/api/chat/image', { form, fallback: 'Upload failed' });
    },
    /** @param {number} roomId @param {{before?: number|null, limit?: number}} [page] */
    chatHistory: (roomId, { before = null, limit } = {}) => {
      const query = new URLSearchParams();
      if (before !== null) query.set('before', String(before));
      if (limit !== undefined) query.set('limit', String(limit));
      const suffix = query.size ? `?${query}` : '';
      return request('GET', `/api/rooms/${roomId}/messages${suffix}`);
    },
    /** @param {number} id */
    chatDelete: (id) => request('DELETE', `/api/chat/messages/${id}`),
  };
}

/** @typedef {ReturnType<typeof createApi>} Api */
