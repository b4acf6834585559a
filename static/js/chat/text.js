// A chat line's text cut into pieces the page shows: plain text, links and @mentions. No DOM:
// the view turns each piece into a text node or an element, never into markup.

/**
 * @typedef {{kind: 'text', text: string}
 *   | {kind: 'link', text: string, href: string}
 *   | {kind: 'mention', text: string, username: string, me: boolean}} Piece
 */

// A web address, or an @name with the characters usernames may have.
const TOKEN = /(https?:\/\/[^\s<>"'`]+)|(@[A-Za-z0-9_]{3,32})(?![A-Za-z0-9_])/g;
const TRAILING = /[.,!?;:'"]+$/;

/**
 * The address as a link may point to it: only http(s), or null.
 * @param {string} text
 */
export function safeHref(text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

/**
 * A link's text, without the punctuation that ends the sentence around it; a closing bracket
 * stays only when the address opened one.
 * @param {string} raw
 */
function trimLink(raw) {
  let text = raw.replace(TRAILING, '');
  while (text.endsWith(')') && (text.match(/\(/g) ?? []).length < (text.match(/\)/g) ?? []).length) {
    text = text.slice(0, -1).replace(TRAILING, '');
  }
  return text;
}

/**
 * Cuts `text` into pieces. A mention counts only for someone in the room (`members`, usernames,
 * any case); `me` marks mine.
 * @param {string} text
 * @param {{members?: Iterable<string>, me?: string}} [who]
 * @returns {Piece[]}
 */
export function chatPieces(text, { members = [], me = '' } = {}) {
  const known = new Map([...members].map((name) => [name.toLowerCase(), name]));
  /** @type {Piece[]} */
  const pieces = [];
  let plain = '';
  let at = 0;
  for (const match of text.matchAll(TOKEN)) {
    const start = match.index ?? 0;
    let piece = null;
    let length = match[0].length;
    if (match[1]) {
      const shown = trimLink(match[1]);
      const href = safeHref(shown);
      if (href) {
        piece = /** @type {Piece} */ ({ kind: 'link', text: shown, href });
        length = shown.length;
      }
    } else {
      const username = known.get(match[2].slice(1).toLowerCase());
      if (username) piece = { kind: 'mention', text: match[2], username, me: username.toLowerCase() === me.toLowerCase() };
    }
    if (!piece) continue;
    plain += text.slice(at, start);
    if (plain) pieces.push({ kind: 'text', text: plain });
    plain = '';
    pieces.push(piece);
    at = start + length;
  }
  plain += text.slice(at);
  if (plain) pieces.push({ kind: 'text', text: plain });
  return pieces;
}

/**
 * Whether a line mentions `me` (by username) among the room's `members`.
 * @param {string} text @param {Iterable<string>} members @param {string} me
 */
export function mentionsMe(text, members, me) {
  return chatPieces(text, { members, me }).some((piece) => piece.kind === 'mention' && piece.me);
}
