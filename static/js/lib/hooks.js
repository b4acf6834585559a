// Moments other parts of the page react to (sounds, media): a DOM-free event bus.
//
// Names and payloads:
//   "room-connected"  {room}          this tab joined a room (the 1.x "connect" sound)
//   "peer-joined"     {user, roomId}  someone else entered my current room ("join" sound)
//   "peer-left"       {user, roomId}  someone else left my current room ("leave" sound)
//   "vote-started"    {vote}          a vote opened in my current room
//   "jailed"          {punishment}    I was sent to jail
//   "released"        {roomId}        my punishment ended

import { createEmitter } from './emitter.js';

/** @type {ReturnType<typeof createEmitter<any>>} */
export const hooks = createEmitter();
