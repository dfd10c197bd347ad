// message-service's and membership-service's REST APIs, called cross-origin with the user's token
// (both allow this page's origin in switchboard.http.cors.allowed-origins). Their base URLs come
// from push-service's GET /v1/web-config.

/** A refused or failed request: `status` 0 when the service could not be reached. */
export class ApiError extends Error {
  constructor(status, code, detail) {
    super(detail || code || `HTTP ${status}`);
    this.status = status;
    this.code = code;
  }

  /** Worth trying again with the same idempotency key: unreachable, rate limited or a server error. */
  get retriable() {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

export async function loadWebConfig() {
  const response = await fetch('v1/web-config', {headers: {Accept: 'application/json'}});
  if (!response.ok) {
    throw new ApiError(response.status, null, 'The page settings could not be loaded');
  }
  return response.json();
}

/** Largest seq JavaScript counts exactly: "before it" means the latest page. */
const LATEST = Number.MAX_SAFE_INTEGER;

/** One service's API: JSON requests with the user's token; a refusal or failure is an ApiError. */
class ServiceApi {
  constructor(service, baseUrl, tokenSupplier) {
    this.service = service;
    this.baseUrl = baseUrl;
    this.tokenSupplier = tokenSupplier;
  }

  async request(method, path, body, headers = {}) {
    const init = {
      method,
      headers: {Accept: 'application/json', Authorization: `Bearer ${this.tokenSupplier()}`, ...headers},
    };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(this.baseUrl + path, init);
    } catch {
      throw new ApiError(0, 'unreachable', `${this.service} could not be reached`);
    }
    const json = await response.json().catch(() => null);
    if (!response.ok) {
      throw new ApiError(response.status, json?.code, json?.detail);
    }
    return json;
  }
}

export class MessageApi extends ServiceApi {
  constructor(baseUrl, tokenSupplier) {
    super('message-service', baseUrl, tokenSupplier);
  }

  /** The latest page of a conversation's history (oldest first), or the page before `beforeSeq`. */
  history(conversationId, beforeSeq = LATEST, limit = 50) {
    return this.request('GET', `/v1/conversations/${encodeURIComponent(conversationId)}/messages`
        + `?beforeSeq=${beforeSeq}&limit=${limit}`);
  }

  /** One of the user's conversations, as the conversation list shows it (a conversation seen for the first time). */
  conversation(conversationId) {
    return this.request('GET', `/v1/me/conversations/${encodeURIComponent(conversationId)}`);
  }

  /** Sends a text; the key makes a retry of the same send safe (the first result is returned). */
  sendText(conversationId, text, idempotencyKey) {
    return this.request('POST', `/v1/conversations/${encodeURIComponent(conversationId)}/messages`,
        {type: 'TEXT', text}, {'Idempotency-Key': idempotencyKey});
  }

  markRead(conversationId, seq) {
    return this.request('POST', `/v1/conversations/${encodeURIComponent(conversationId)}/read`, {seq});
  }
}

/** The members of the user's conversations, with their display names (the token's conversations:read). */
export class MembershipApi extends ServiceApi {
  constructor(baseUrl, tokenSupplier) {
    super('membership-service', baseUrl, tokenSupplier);
  }

  /** The first page of a conversation's members, by user id. */
  members(conversationId, limit) {
    return this.request('GET', `/v1/conversations/${encodeURIComponent(conversationId)}/members?limit=${limit}`);
  }

  member(conversationId, userId) {
    return this.request('GET', `/v1/conversations/${encodeURIComponent(conversationId)}/members/`
        + encodeURIComponent(userId));
  }
}

/** An idempotency key; crypto.randomUUID needs a secure context, getRandomValues does not. */
export function newIdempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}
