// The user's token: the only secret the page holds. It is kept in sessionStorage (this tab only,
// gone when the tab closes), never in localStorage or a cookie, and sent only to push-service (the
// WebSocket) and message-service (REST, as a bearer token).

const STORAGE_KEY = 'switchboard.userToken';

/**
 * A token handed over in the URL fragment (`#token=...`, for demos and tests) is stored and then
 * removed from the address bar and the tab's history. Fragments never reach a server.
 */
export function adoptTokenFromFragment() {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const token = fragment.get('token');
  if (token) {
    storeToken(token);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
}

export function storedToken() {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function storeToken(token) {
  sessionStorage.setItem(STORAGE_KEY, token.trim());
}

export function forgetToken() {
  sessionStorage.removeItem(STORAGE_KEY);
}

/**
 * What the token says about its holder, read without verifying it (the services verify it): user,
 * app, scopes and expiry. Returns null for something that is not a JWT.
 */
export function claimsOf(token) {
  const parts = (token || '').trim().split('.');
  if (parts.length !== 3) {
    return null;
  }
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), c => c.charCodeAt(0)));
    const claims = JSON.parse(json);
    return {
      userId: claims.sub,
      appId: claims.app_id,
      tokenUse: claims.token_use,
      scopes: String(claims.scope || '').split(' ').filter(Boolean),
      expiresAt: claims.exp ? new Date(claims.exp * 1000) : null,
    };
  } catch {
    return null;
  }
}

export const REQUIRED_SCOPES = ['push:connect', 'messages:read', 'messages:write'];

/** Why a token cannot be used here, or null when it can. */
export function refusalOf(claims) {
  if (!claims) {
    return 'This is not a Switchboard token.';
  }
  if (claims.tokenUse !== 'user') {
    return 'This is not a user token: sign in with a token your app minted for you.';
  }
  const missing = REQUIRED_SCOPES.filter(scope => !claims.scopes.includes(scope));
  if (missing.length > 0) {
    return `The token lacks the scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`;
  }
  if (claims.expiresAt && claims.expiresAt <= new Date()) {
    return 'The token has expired.';
  }
  return null;
}
