// Who may delete a chat line, as the server decides it (chat/permissions.py), so the page
// offers the button only to them: the author, the room's creator, staff.

/**
 * @param {{me: {id: number, is_staff?: boolean}, rooms: Map<number, {created_by: number|null}>}} state
 * @param {{roomId: number, user: {id: number}|null}} line
 */
export function canDeleteLine(state, line) {
  if (state.me.is_staff) return true;
  if (line.user && line.user.id === state.me.id) return true;
  const room = state.rooms.get(line.roomId);
  return Boolean(room && room.created_by !== null && room.created_by === state.me.id);
}
