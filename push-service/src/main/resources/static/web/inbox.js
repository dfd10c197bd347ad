// What the page knows of the user's conversations, kept consistent with the server by changeSeq:
// every change of a conversation's log (a message created, edited, recalled or deleted) takes the
// next changeSeq, so a client that has applied every change up to N knows exactly what it misses.
// Messages are upserted by (conversation, seq), so a message seen twice is shown once.

/** A conversation of the user, and the messages of it the page holds. */
export class Conversation {
  constructor(id) {
    this.id = id;
    this.name = null;
    this.type = null;
    /** Archived conversations are read-only: nobody posts until one is unarchived. */
    this.archived = false;
    /** The version of the conversation's settings the page holds (from `conversation.changed`). */
    this.version = 0;
    this.lastSeq = 0;
    this.readSeq = 0;
    this.lastMessage = null;
    /** Every change up to this one has been applied; null until the server told us where it stands. */
    this.changeSeq = null;
    /** Changes applied beyond a gap; they count once the gap is filled. */
    this.ahead = new Set();
    this.fetching = false;
    /** seq -> message, for the messages the page has seen (history pages, pushed frames). */
    this.messages = new Map();
    this.historyLoaded = false;
    /** Where the next older history page starts, or null when there is none. */
    this.earlierBeforeSeq = null;
  }

  get unread() {
    return Math.max(0, this.lastSeq - this.readSeq);
  }

  get title() {
    if (this.name) {
      return this.name;
    }
    return this.type === 'SYSTEM' ? 'Notifications' : this.id;
  }

  /** Messages in seq order. */
  orderedMessages() {
    return [...this.messages.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Advances the contiguous changeSeq over changes applied ahead of it. */
  advance() {
    for (const seen of [...this.ahead]) {
      if (seen <= this.changeSeq) {
        this.ahead.delete(seen);
      }
    }
    while (this.ahead.delete(this.changeSeq + 1)) {
      this.changeSeq++;
    }
  }

  get hasGap() {
    return this.changeSeq !== null && this.ahead.size > 0;
  }
}

/**
 * Events: `list` (the conversation list changed), `messages` (detail {conversationId}: its
 * messages changed), `arrived` (detail {conversation, message}: a new message from someone else),
 * `discovered` (detail {conversationId}: a conversation the page has not seen; read its entry),
 * `settings` (detail {conversationId}: its name or archived state changed).
 */
export class Inbox extends EventTarget {
  constructor() {
    super();
    this.userId = null;
    this.conversations = new Map();
  }

  /** The conversation list: latest activity first. */
  ordered() {
    const activity = conversation => Date.parse(conversation.lastMessage?.createdAt) || 0;
    return [...this.conversations.values()].sort((a, b) =>
        activity(b) - activity(a) || a.title.localeCompare(b.title));
  }

  /** What the page has applied per conversation, for the `resume` frame. */
  positions() {
    const positions = {};
    for (const conversation of this.conversations.values()) {
      if (conversation.changeSeq !== null) {
        positions[conversation.id] = conversation.changeSeq;
      }
    }
    return positions;
  }

  /**
   * A conversation's state from a `conversation.synced` frame or from message-service's list entry.
   * For a conversation the server did not know the page to hold (`known` false) no changes follow:
   * the page reads its history itself, so it counts as applied up to the current changeSeq.
   */
  applyState(state, known = false) {
    const conversation = this.ensure(state.conversationId, false);
    conversation.name = state.name ?? conversation.name;
    conversation.type = state.conversationType ?? state.type ?? conversation.type;
    conversation.archived = state.archived ?? conversation.archived;
    conversation.lastSeq = Math.max(conversation.lastSeq, state.lastSeq ?? 0);
    conversation.readSeq = Math.max(conversation.readSeq, state.readSeq ?? 0);
    if (state.lastMessage && (!conversation.lastMessage || state.lastMessage.seq >= conversation.lastMessage.seq)) {
      conversation.lastMessage = state.lastMessage;
    }
    if (!known && state.changeSeq !== undefined) {
      conversation.changeSeq = Math.max(conversation.changeSeq ?? 0, state.changeSeq);
      conversation.advance();
    }
    this.emit('list');
  }

  /**
   * `conversation.changed`: renamed, archived or unarchived, posting rules changed. Settings of an
   * older version than the page holds are ignored (frames of two changes can cross).
   */
  applyChanged(frame) {
    const conversation = this.conversations.get(frame.conversationId);
    if (!conversation || frame.conversationVersion < conversation.version) {
      return;
    }
    conversation.version = frame.conversationVersion;
    conversation.name = frame.name ?? null;
    conversation.type = frame.conversationType ?? conversation.type;
    conversation.archived = Boolean(frame.archived);
    this.emit('list');
    this.emit('settings', {conversationId: conversation.id});
  }

  /**
   * `resume.done`: every change up to the given changeSeqs has been replayed (each message once, in
   * its latest state, so the replayed changeSeqs need not be contiguous).
   */
  applyResumeDone(done) {
    for (const id of done.removed || []) {
      this.conversations.delete(id);
    }
    for (const [id, changeSeq] of Object.entries(done.conversations || {})) {
      const conversation = this.ensure(id, false);
      conversation.changeSeq = Math.max(conversation.changeSeq ?? 0, changeSeq);
      conversation.advance();
    }
    this.emit('list');
  }

  /**
   * A message frame, pushed live or replayed. Returns the conversation when a live frame shows a
   * gap (its changeSeq is past the next one expected), so the caller sends `fetch`.
   */
  applyMessageFrame(frame) {
    const conversation = this.ensure(frame.conversationId, true);
    const fresh = this.upsert(conversation, frame);
    if (frame.changeSeq && conversation.changeSeq !== null && frame.changeSeq > conversation.changeSeq) {
      conversation.ahead.add(frame.changeSeq);
      conversation.advance();
    }
    this.emit('messages', {conversationId: conversation.id});
    this.emit('list');
    if (fresh && frame.type === 'message.created' && frame.senderId !== this.userId) {
      this.emit('arrived', {conversation, message: conversation.messages.get(frame.seq)});
    }
    return !frame.replayed && conversation.hasGap ? conversation : null;
  }

  /** `fetch.done`: returns whether another fetch is needed (more to come, or a later gap). */
  applyFetchDone(done) {
    const conversation = this.conversations.get(done.conversationId);
    if (!conversation) {
      return false;
    }
    const before = conversation.changeSeq;
    conversation.fetching = false;
    conversation.changeSeq = Math.max(conversation.changeSeq ?? 0, done.changeSeq ?? 0);
    conversation.advance();
    const progressed = conversation.changeSeq > (before ?? 0);
    return done.hasMore || (progressed && conversation.hasGap);
  }

  /** A history page from message-service (oldest first). */
  applyHistory(conversationId, page, older) {
    const conversation = this.ensure(conversationId, false);
    for (const message of page.messages) {
      this.upsert(conversation, message);
    }
    if (!older || conversation.earlierBeforeSeq !== null) {
      conversation.earlierBeforeSeq = page.nextBeforeSeq ?? null;
    }
    conversation.historyLoaded = true;
    this.emit('messages', {conversationId});
    this.emit('list');
  }

  /** A message the user sent over REST: shown at once, and once, whenever its frame comes. */
  applySent(message) {
    const conversation = this.ensure(message.conversationId, false);
    this.upsert(conversation, message);
    this.emit('messages', {conversationId: conversation.id});
    this.emit('list');
  }

  /** `read.updated`: only the user's own read position changes the unread count. */
  applyRead(frame) {
    const conversation = this.conversations.get(frame.conversationId);
    if (conversation && frame.actorId === this.userId && frame.seq > conversation.readSeq) {
      conversation.readSeq = frame.seq;
      this.emit('list');
    }
  }

  /** `message.hidden`: the user deleted the message for themselves. */
  applyHidden(frame) {
    const conversation = this.conversations.get(frame.conversationId);
    if (conversation?.messages.delete(frame.seq)) {
      this.emit('messages', {conversationId: conversation.id});
    }
  }

  /** The user read up to `seq` (the page marks what it shows as read). */
  markedRead(conversationId, seq) {
    const conversation = this.conversations.get(conversationId);
    if (conversation && seq > conversation.readSeq) {
      conversation.readSeq = seq;
      this.emit('list');
    }
  }

  remove(conversationId) {
    if (this.conversations.delete(conversationId)) {
      this.emit('list');
    }
  }

  clear() {
    this.conversations.clear();
    this.userId = null;
    this.emit('list');
  }

  ensure(id, announce) {
    let conversation = this.conversations.get(id);
    if (!conversation) {
      conversation = new Conversation(id);
      this.conversations.set(id, conversation);
      if (announce) {
        this.emit('discovered', {conversationId: id});
      }
    }
    return conversation;
  }

  /** Stores a message unless the page holds a newer version of it; returns whether the seq is new. */
  upsert(conversation, message) {
    const held = conversation.messages.get(message.seq);
    if (!held || (message.version ?? 1) >= (held.version ?? 1)) {
      conversation.messages.set(message.seq, message);
    }
    if (message.seq >= conversation.lastSeq) {
      conversation.lastSeq = message.seq;
      conversation.lastMessage = message;
    }
    if (message.senderId === this.userId && message.senderType === 'USER') {
      // a sender has read what they sent
      conversation.readSeq = Math.max(conversation.readSeq, message.seq);
    }
    return !held;
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, {detail}));
  }
}
