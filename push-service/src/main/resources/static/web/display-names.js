// Who the people on the page are: the display names of a conversation's members, read from
// membership-service with the user's token (it shows members only to members, and never their
// email). One request per conversation, cached for the session; a sender the cache does not know
// (someone who joined since, or beyond the first page of a large group) is looked up once on their
// own. Until a name is known, and for users without one, the page shows the user id.

const FIRST_PAGE = 1000;
/** After a failure the service may be back: a later render asks again, but not at every frame. */
const RETRY_AFTER_MS = 30000;

/** Events: `changed` (detail {conversationId}: names of its members became known). */
export class DisplayNames extends EventTarget {
  constructor(api) {
    super();
    this.api = api;
    /** conversationId -> Map userId -> display name (null: the user has none or is not a member). */
    this.names = new Map();
    /** Conversations whose members' first page is being read. */
    this.loading = new Set();
    /** conversationId -> when reading its members last failed for a reason that may pass. */
    this.failedAt = new Map();
    /** Conversations whose members the token may not read (no conversations:read, not a member). */
    this.refused = new Set();
    /** `conversationId/userId` of senders looked up on their own, found or not. */
    this.lookedUp = new Set();
  }

  /**
   * What to call a user of a conversation: their display name, else their id. Reading it starts
   * loading what is missing; `changed` tells when to ask again.
   */
  nameOf(conversationId, userId) {
    const members = this.names.get(conversationId);
    if (!members) {
      this.load(conversationId);
      return userId;
    }
    if (!members.has(userId)) {
      this.lookUp(conversationId, userId);
      return userId;
    }
    return members.get(userId) || userId;
  }

  load(conversationId) {
    if (this.loading.has(conversationId) || !this.mayAsk(conversationId)) {
      return;
    }
    this.loading.add(conversationId);
    this.api.members(conversationId, FIRST_PAGE)
        .then(page => {
          this.loading.delete(conversationId);
          const members = new Map(page.members.map(member => [member.userId, member.displayName ?? null]));
          this.names.set(conversationId, new Map([...(this.names.get(conversationId) || []), ...members]));
          this.failedAt.delete(conversationId);
          this.emit(conversationId); // renderers ask again, and so look up senders beyond the page
        }, error => {
          this.loading.delete(conversationId);
          this.failed(conversationId, error);
        });
  }

  lookUp(conversationId, userId) {
    const key = `${conversationId}/${userId}`;
    if (this.lookedUp.has(key) || this.loading.has(conversationId) || !this.mayAsk(conversationId)) {
      return;
    }
    this.lookedUp.add(key);
    this.api.member(conversationId, userId)
        .then(member => this.remember(conversationId, userId, member.displayName ?? null))
        .catch(error => {
          if (error.status === 404) {
            this.remember(conversationId, userId, null); // left the conversation: shown by id
          } else {
            this.lookedUp.delete(key);
            this.failed(conversationId, error);
          }
        });
  }

  /** Not refused, and not failed a moment ago. */
  mayAsk(conversationId) {
    return !this.refused.has(conversationId)
        && Date.now() - (this.failedAt.get(conversationId) ?? -Infinity) >= RETRY_AFTER_MS;
  }

  remember(conversationId, userId, displayName) {
    this.names.get(conversationId)?.set(userId, displayName);
    this.emit(conversationId);
  }

  failed(conversationId, error) {
    if (error.status === 401 || error.status === 403 || error.status === 404) {
      this.refused.add(conversationId);
    } else {
      this.failedAt.set(conversationId, Date.now());
    }
  }

  emit(conversationId) {
    this.dispatchEvent(new CustomEvent('changed', {detail: {conversationId}}));
  }
}
