// The caller's own account over the session API: display name, password, log out everywhere,
// delete. Errors are the server's `{"error": ...}` texts, thrown as ApiError by api.request.

/** @param {import('./api.js').Api} api */
export function accountApi(api) {
  return {
    /** @param {string} displayName */
    rename: (displayName) =>
      api.request('PATCH', '/api/account', { body: { display_name: displayName }, fallback: 'Could not change the name' }),
    /** @param {string} current @param {string} next */
    changePassword: (current, next) =>
      api.request('POST', '/api/account/password', {
        body: { current_password: current, new_password: next },
        fallback: 'Could not change the password',
      }),
    logoutAll: () => api.request('POST', '/api/auth/logout-all', { fallback: 'Could not sign out elsewhere' }),
    /** @param {string} password */
    deleteAccount: (password) =>
      api.request('DELETE', '/api/account', { body: { password }, fallback: 'Could not delete the account' }),
  };
}
