// The page's configuration, rendered by the server into a JSON block (never a global).

/**
 * @param {Document} doc
 * @returns {{csrfCookieName: string, iconSprite: string, me?: any, e2eeWorkerUrl?: string,
 *   audioWorklets?: Record<string, string>, voteMinPeople?: number, roomName?: {maxLength: number, allowed: string}}}
 */
export function readConfig(doc) {
  const node = doc.getElementById('app-config');
  return node ? JSON.parse(node.textContent ?? '{}') : { csrfCookieName: 'csrftoken', iconSprite: '' };
}
