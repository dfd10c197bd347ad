// Who of the open conversation's members is online. Subscriptions belong to one connection, so the
// page subscribes again after every (re)connect; it watches only the open conversation, to stay far
// below the server's per-session limit whatever the number of conversations.

/** Events: `changed` (the watched users' presence changed). */
export class Presence extends EventTarget {
  constructor(push) {
    super();
    this.push = push;
    this.conversationId = null;
    /** userId -> {online, devices, lastSeenAt}, for the members of the watched conversation. */
    this.users = new Map();
  }

  /** Watches the members of a conversation instead of the previous one's (null: nobody). */
  watch(conversationId) {
    if (conversationId === this.conversationId) {
      return;
    }
    if (this.users.size > 0) {
      this.push.send({type: 'presence.unsubscribe', userIds: [...this.users.keys()]});
    }
    this.users.clear();
    this.conversationId = conversationId;
    this.emit();
    this.subscribe();
  }

  /** A new connection: its subscriptions start empty. */
  connected() {
    this.users.clear();
    this.subscribe();
  }

  subscribe() {
    if (this.conversationId) {
      this.push.send({type: 'presence.subscribe', conversationId: this.conversationId});
    }
  }

  /** A `presence.changed` frame (one per member right after subscribing, then one per change). */
  apply(frame) {
    this.users.set(frame.userId, {online: frame.online, devices: frame.devices || [], lastSeenAt: frame.lastSeenAt});
    this.emit();
  }

  /** The subscription was refused (`presence-not-allowed`, `presence-limit`): show nothing rather than a guess. */
  refused() {
    this.users.clear();
    this.emit();
  }

  /** The watched users other than `selfId`, online ones first. */
  others(selfId) {
    return [...this.users.entries()]
        .filter(([userId]) => userId !== selfId)
        .map(([userId, state]) => ({userId, ...state}))
        .sort((a, b) => Number(b.online) - Number(a.online) || a.userId.localeCompare(b.userId));
  }

  emit() {
    this.dispatchEvent(new CustomEvent('changed'));
  }
}

const LAST_SEEN = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium', timeStyle: 'short'});
const NAMES_SHOWN = 3;

/**
 * One line about the others' presence: for a direct conversation the other person's state, for a
 * group who is online, by `nameOf(userId)`.
 */
export function presenceText(others, conversationType, nameOf) {
  if (others.length === 0) {
    return '';
  }
  if (conversationType === 'DIRECT' && others.length === 1) {
    const [other] = others;
    if (other.online) {
      return 'Online';
    }
    return other.lastSeenAt ? `Last seen ${LAST_SEEN.format(new Date(other.lastSeenAt))}` : 'Offline';
  }
  const online = others.filter(other => other.online).map(other => nameOf(other.userId))
      .sort((a, b) => a.localeCompare(b));
  if (online.length === 0) {
    return 'Nobody else is online';
  }
  const named = online.slice(0, NAMES_SHOWN).join(', ');
  const more = online.length > NAMES_SHOWN ? ` and ${online.length - NAMES_SHOWN} more` : '';
  return `Online: ${named}${more}`;
}
