// The WebSocket to push-service (push protocol v1, push-service/README.md): exchanges the token for a
// one-use ticket (a browser's WebSocket cannot send an Authorization header, and a token in the URL
// would end up in proxy and access logs), connects with it and resume=true, keeps the connection
// checked with ping frames, and reconnects after a drop with exponential backoff and jitter, with a new
// ticket each time. What to do with frames (resume, gap fill) is the Sync's business.

/** Close codes after which reconnecting at once is pointless, and whether the token is done with. */
const FINAL_CLOSES = new Map([
  [4401, {signOut: true, reason: 'Your token was refused or revoked. Sign in with a new one.'}],
  [4403, {signOut: true, reason: 'This token cannot connect (it needs the scope push:connect). Sign in with another one.'}],
  [4419, {signOut: true, reason: 'Your token expired. Sign in with a new one.'}],
  [4429, {signOut: false, reason: 'You are connected on as many devices as allowed. Sign out on another one, then reload this page.'}],
]);

const BACKOFF = {firstMs: 500, maxMs: 15000};

/**
 * Delay before reconnect attempt `attempt` (0, 1, 2, ...): the exponential cap doubles from
 * `firstMs` up to `maxMs`, and the delay is drawn between half the cap and the cap, so clients that
 * dropped together (a gateway restart) do not come back together.
 */
export function backoffDelay(attempt, random = Math.random) {
  const cap = Math.min(BACKOFF.maxMs, BACKOFF.firstMs * 2 ** attempt);
  return Math.round(cap / 2 + random() * cap / 2);
}

/**
 * Events: `state` (detail {state, text, retryInMs?}), `frame` (detail: the parsed frame),
 * `ended` (detail {reason, signOut}): the server closed for good (signOut: the token is done with).
 */
export class PushClient extends EventTarget {
  constructor(tokenSupplier) {
    super();
    this.tokenSupplier = tokenSupplier;
    this.socket = null;
    this.attempt = 0;
    this.stopped = true;
    this.retryTimer = null;
    this.heartbeatTimer = null;
    this.connecting = false;
    this.lastHeardAt = 0;
    // the browser saw the network come back: no need to wait for the backoff
    window.addEventListener('online', () => {
      if (!this.stopped && !this.socket && !this.connecting) {
        clearTimeout(this.retryTimer);
        this.connect();
      }
    });
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.heartbeatTimer);
    if (this.socket) {
      this.socket.close(1000, 'signed out');
      this.socket = null;
    }
  }

  /** Sends a frame if connected; returns whether it was sent. */
  send(frame) {
    if (this.socket?.readyState !== WebSocket.OPEN) {
      return false;
    }
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  async connect() {
    this.connecting = true;
    this.emitState('connecting', this.attempt === 0 ? 'Connecting…' : 'Reconnecting…');
    let ticket;
    try {
      ticket = await this.ticket();
    } catch (refusal) {
      this.closed(refusal.code ?? 1006, refusal.reason ?? '');
      return;
    } finally {
      this.connecting = false;
    }
    if (this.stopped) {
      return;
    }
    const url = new URL('v1/ws', window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('ticket', ticket);
    url.searchParams.set('resume', 'true');
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.addEventListener('message', event => {
      if (socket !== this.socket) {
        return;
      }
      this.lastHeardAt = Date.now();
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame.type === 'session.ready') {
        this.attempt = 0;
        this.watch(frame.heartbeatIntervalSeconds || 25);
      }
      this.dispatchEvent(new CustomEvent('frame', {detail: frame}));
    });
    socket.addEventListener('close', event => {
      if (socket === this.socket) {
        this.closed(event.code, event.reason);
      }
    });
  }

  /**
   * A one-use ticket for the token (POST /v1/ws/tickets). A token refused there ends like a refused
   * handshake (4401 / 4403); anything else (offline, a 5xx) is a drop to retry.
   */
  async ticket() {
    let response;
    try {
      response = await fetch(new URL('v1/ws/tickets', window.location.href), {
        method: 'POST',
        headers: {Authorization: `Bearer ${this.tokenSupplier()}`},
      });
    } catch {
      throw {code: 1006};
    }
    if (response.status === 401 || response.status === 403) {
      const problem = await response.json().catch(() => ({}));
      throw {code: response.status === 401 ? 4401 : 4403, reason: problem.detail ?? ''};
    }
    if (!response.ok) {
      throw {code: 1006};
    }
    return (await response.json()).ticket;
  }

  /**
   * Browsers answer the server's WebSocket pings themselves but cannot see them; ping frames
   * (answered with pong) tell the page that the server still hears it. Silence for two intervals
   * means a dead connection: close it and reconnect.
   */
  watch(intervalSeconds) {
    clearInterval(this.heartbeatTimer);
    const intervalMs = intervalSeconds * 1000;
    this.heartbeatTimer = setInterval(() => {
      if (Date.now() - this.lastHeardAt > 2 * intervalMs) {
        this.socket?.close(4000, 'server silent');
        this.closed(4000);
        return;
      }
      this.send({type: 'ping'});
    }, intervalMs);
  }

  closed(code, serverReason = '') {
    clearInterval(this.heartbeatTimer);
    this.socket = null;
    if (this.stopped) {
      return;
    }
    if (FINAL_CLOSES.has(code)) {
      this.stopped = true;
      this.emitState('stopped', 'Disconnected');
      const {signOut, reason} = FINAL_CLOSES.get(code);
      const detail = serverReason ? `${reason} (${serverReason})` : reason;
      this.dispatchEvent(new CustomEvent('ended', {detail: {signOut, reason: detail}}));
      return;
    }
    const delay = backoffDelay(this.attempt++);
    this.emitState('offline', `Offline, reconnecting in ${Math.ceil(delay / 1000)} s`, delay);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  emitState(state, text, retryInMs) {
    this.dispatchEvent(new CustomEvent('state', {detail: {state, text, retryInMs}}));
  }
}
