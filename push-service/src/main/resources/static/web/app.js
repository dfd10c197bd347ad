// The end-user page: sign in with a user token, see conversations with unread counts, read and send
// messages, receive messages and notification cards live, and come back after a network drop.

import {ApiError, MembershipApi, MessageApi, loadWebConfig, newIdempotencyKey} from './api.js';
import {DisplayNames} from './display-names.js';
import {Inbox} from './inbox.js';
import {Presence, presenceText} from './presence.js';
import {PushClient, backoffDelay} from './push-client.js';
import {adoptTokenFromFragment, claimsOf, forgetToken, refusalOf, storeToken, storedToken} from './session.js';
import {Sync} from './sync.js';
import {conversationItem, messageItem, previewText, senderName} from './view.js';

const $ = id => document.getElementById(id);
const SEND_ATTEMPTS = 5;

class Page {
  constructor() {
    this.session = null;
    this.selectedId = null;
    /** conversationId -> messages being sent: shown at the end until message-service stored them. */
    this.sending = new Map();
    /** The last send that failed, so sending the same text again reuses its idempotency key. */
    this.failedSend = null;
    this.renderQueued = new Set();
    this.markReadTimer = null;
    this.pendingRefresh = null;
    this.bindStaticControls();
  }

  start() {
    adoptTokenFromFragment();
    const token = storedToken();
    if (token) {
      this.signIn(token);
    } else {
      this.showSignIn();
    }
  }

  bindStaticControls() {
    $('sign-in-form').addEventListener('submit', event => {
      event.preventDefault();
      this.signIn($('token').value);
    });
    $('sign-out').addEventListener('click', () => this.signOut());
    $('composer').addEventListener('submit', event => {
      event.preventDefault();
      this.send();
    });
    $('load-earlier').addEventListener('click', () => this.loadHistory(this.selectedId, true));
    $('notice-close').addEventListener('click', () => this.hideNotice());
    $('renew-form').addEventListener('submit', event => {
      event.preventDefault();
      this.renew($('renew-token').value.trim());
    });
    $('conversation-list').addEventListener('click', event => {
      const button = event.target.closest('button[data-conversation-id]');
      if (button) {
        this.select(button.dataset.conversationId);
      }
    });
    $('conversation-list').addEventListener('keydown', event => this.moveFocus(event));
    document.addEventListener('visibilitychange', () => this.scheduleMarkRead());
  }

  async signIn(token) {
    const claims = claimsOf(token);
    const refusal = refusalOf(claims);
    if (refusal) {
      forgetToken();
      this.showSignIn(refusal);
      return;
    }
    storeToken(token);
    let config;
    try {
      config = await loadWebConfig();
    } catch (error) {
      this.showSignIn(error.message);
      return;
    }
    const inbox = new Inbox();
    const api = new MessageApi(config.messageServiceUrl, () => storedToken());
    const push = new PushClient(() => storedToken());
    const presence = new Presence(push);
    const sync = new Sync(push, inbox, api, presence);
    const names = new DisplayNames(new MembershipApi(config.membershipServiceUrl, () => storedToken()));
    this.session = {claims, inbox, api, push, sync, presence, names};
    this.selectedId = null;
    this.sending.clear();

    inbox.addEventListener('list', () => this.queueRender('list'));
    inbox.addEventListener('messages', event => {
      if (event.detail.conversationId === this.selectedId) {
        this.queueRender('messages');
        this.scheduleMarkRead();
      }
    });
    inbox.addEventListener('arrived', event => this.announce(event.detail));
    inbox.addEventListener('settings', event => {
      if (event.detail.conversationId === this.selectedId) {
        this.renderHeader();
      }
    });
    presence.addEventListener('changed', () => this.renderPresence());
    names.addEventListener('changed', event => {
      if (event.detail.conversationId === this.selectedId) {
        this.queueRender('messages');
        this.renderPresence();
      }
    });
    push.addEventListener('state', event => this.showConnection(event.detail));
    push.addEventListener('ended', event => event.detail.signOut
        ? this.signOut(event.detail.reason) : this.showNotice(event.detail.reason));
    sync.addEventListener('state', event => this.showConnection(event.detail));
    sync.addEventListener('notice', event => this.showNotice(event.detail.text));
    sync.addEventListener('expiring', event => this.showExpiring(event.detail.expiresAt));
    sync.addEventListener('refreshed', () => this.refreshed());

    $('sign-in').hidden = true;
    $('workspace').hidden = false;
    $('who').hidden = false;
    $('who-user').textContent = claims.userId;
    $('who-app').textContent = `(app ${claims.appId})`;
    this.renderList();
    this.renderConversation();
    push.start();
  }

  signOut(reason) {
    this.session?.push.stop();
    this.session = null;
    forgetToken();
    this.hideNotice();
    $('who').hidden = true;
    $('workspace').hidden = true;
    $('conversation-list').replaceChildren();
    $('messages').replaceChildren();
    this.showConnection({state: 'signed-out', text: 'Signed out'});
    this.showSignIn(reason);
  }

  showSignIn(error) {
    $('sign-in').hidden = false;
    $('token').value = '';
    $('sign-in-error').hidden = !error;
    $('sign-in-error').textContent = error || '';
    $('token').focus();
  }

  showConnection({state, text}) {
    $('connection').dataset.state = state;
    $('connection').textContent = text;
  }

  // --- conversations -------------------------------------------------------------------------

  select(conversationId) {
    this.selectedId = conversationId;
    this.session.presence.watch(conversationId);
    this.renderList();
    this.renderConversation();
    const conversation = this.session.inbox.conversations.get(conversationId);
    if (conversation && !conversation.historyLoaded) {
      this.loadHistory(conversationId, false);
    }
    this.scheduleMarkRead();
    $('message-text').focus();
  }

  async loadHistory(conversationId, older) {
    const {inbox, api} = this.session;
    const conversation = inbox.conversations.get(conversationId);
    try {
      const page = await api.history(conversationId, older ? conversation.earlierBeforeSeq : undefined);
      inbox.applyHistory(conversationId, page, older);
    } catch (error) {
      this.showNotice(`The history could not be loaded: ${error.message}`);
    }
  }

  /** The open conversation's messages count as read while the page is visible. */
  scheduleMarkRead() {
    clearTimeout(this.markReadTimer);
    this.markReadTimer = setTimeout(() => {
      const conversation = this.session?.inbox.conversations.get(this.selectedId);
      if (!conversation || document.visibilityState !== 'visible' || conversation.unread === 0) {
        return;
      }
      const seq = conversation.lastSeq;
      this.session.inbox.markedRead(conversation.id, seq);
      this.session.api.markRead(conversation.id, seq).catch(() => {
        // the next message or visit marks it again; an unread count that stays is the only effect
      });
    }, 300);
  }

  announce({conversation, message}) {
    if (conversation.id === this.selectedId && document.visibilityState === 'visible') {
      return; // the open conversation's log is itself a live region
    }
    $('announcer').textContent = `New in ${conversation.title}: ${previewText(message)}`;
  }

  moveFocus(event) {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') {
      return;
    }
    const buttons = [...$('conversation-list').querySelectorAll('button')];
    const index = buttons.indexOf(document.activeElement);
    const next = buttons[index + (event.key === 'ArrowDown' ? 1 : -1)];
    if (next) {
      event.preventDefault();
      next.focus();
    }
  }

  // --- sending -------------------------------------------------------------------------------

  async send() {
    const text = $('message-text').value.trim();
    const conversationId = this.selectedId;
    if (!text || !conversationId) {
      return;
    }
    const retry = this.failedSend?.conversationId === conversationId && this.failedSend.text === text;
    const key = retry ? this.failedSend.key : newIdempotencyKey();
    this.failedSend = null;
    $('message-text').value = '';
    const pending = {
      localId: key, conversationId, text, senderId: this.session.claims.userId, senderType: 'USER',
      createdAt: new Date().toISOString(), pending: 'Sending…',
    };
    this.pendingOf(conversationId).set(key, pending);
    this.queueRender('messages');
    const session = this.session;
    for (let attempt = 0; ; attempt++) {
      try {
        const message = await session.api.sendText(conversationId, text, key);
        this.pendingOf(conversationId).delete(key);
        session.inbox.applySent(message);
        return;
      } catch (error) {
        if (!(error instanceof ApiError) || !error.retriable || attempt + 1 >= SEND_ATTEMPTS || session !== this.session) {
          this.pendingOf(conversationId).delete(key);
          this.queueRender('messages');
          this.failedSend = {conversationId, text, key};
          if (conversationId === this.selectedId && !$('message-text').value) {
            $('message-text').value = text;
          }
          this.showNotice(`Your message was not sent: ${error.message}. Send it again to retry.`);
          return;
        }
        pending.pending = 'Not sent yet, retrying…';
        this.queueRender('messages');
        await new Promise(resolve => setTimeout(resolve, backoffDelay(attempt)));
      }
    }
  }

  pendingOf(conversationId) {
    if (!this.sending.has(conversationId)) {
      this.sending.set(conversationId, new Map());
    }
    return this.sending.get(conversationId);
  }

  cardAction(message, action, button) {
    const sent = this.session.push.send({
      type: 'card.action', conversationId: message.conversationId, seq: message.seq, actionId: action.id,
    });
    if (!sent) {
      this.showNotice('You are offline: the action was not sent. Try again once connected.');
      return;
    }
    button.dataset.state = 'sent';
    button.setAttribute('aria-pressed', 'true');
  }

  // --- token expiry --------------------------------------------------------------------------

  showExpiring(expiresAt) {
    const when = new Date(expiresAt).toLocaleTimeString(undefined, {hour: '2-digit', minute: '2-digit'});
    this.showNotice(`Your session ends at ${when}. Paste a new token to stay connected.`, true);
  }

  renew(token) {
    const refusal = refusalOf(claimsOf(token));
    if (refusal) {
      this.showNotice(refusal, true);
      return;
    }
    this.pendingRefresh = token;
    if (!this.session.push.send({type: 'auth.refresh', token})) {
      // not connected: the next connection uses the new token
      this.refreshed();
    }
  }

  refreshed() {
    if (this.pendingRefresh) {
      storeToken(this.pendingRefresh);
      this.session.claims = claimsOf(this.pendingRefresh);
      this.pendingRefresh = null;
    }
    $('renew-token').value = '';
    this.hideNotice();
  }

  showNotice(text, withRenewForm = false) {
    $('notice-text').textContent = text;
    $('renew-form').hidden = !withRenewForm;
    $('notice').hidden = false;
  }

  hideNotice() {
    $('notice').hidden = true;
  }

  // --- rendering -----------------------------------------------------------------------------

  queueRender(what) {
    if (this.renderQueued.size === 0) {
      requestAnimationFrame(() => {
        const queued = new Set(this.renderQueued);
        this.renderQueued.clear();
        if (queued.has('list')) {
          this.renderList();
        }
        if (queued.has('messages')) {
          this.renderMessages();
        }
      });
    }
    this.renderQueued.add(what);
  }

  renderList() {
    if (!this.session) {
      return;
    }
    const conversations = this.session.inbox.ordered();
    const focusedId = document.activeElement?.dataset?.conversationId;
    $('conversation-list').replaceChildren(...conversations.map(c => conversationItem(c, c.id === this.selectedId)));
    $('conversations-empty').hidden = conversations.length > 0;
    if (focusedId) {
      $('conversation-list').querySelector(`button[data-conversation-id="${CSS.escape(focusedId)}"]`)?.focus();
    }
    if (this.selectedId && !this.session.inbox.conversations.has(this.selectedId)) {
      this.selectedId = null;
      this.session.presence.watch(null);
      this.renderConversation();
    }
  }

  renderConversation() {
    this.renderHeader();
    this.renderPresence();
    $('messages').replaceChildren();
    this.renderMessages();
  }

  /** The open conversation's title, and whether one can post in it. */
  renderHeader() {
    const conversation = this.session?.inbox.conversations.get(this.selectedId);
    $('conversation-title').textContent = conversation ? conversation.title : 'Select a conversation';
    $('conversation-archived').hidden = !conversation?.archived;
    $('composer').hidden = !conversation || conversation.archived;
  }

  renderPresence() {
    const conversation = this.session?.inbox.conversations.get(this.selectedId);
    const text = conversation
        ? presenceText(this.session.presence.others(this.session.claims.userId), conversation.type,
            userId => this.session.names.nameOf(conversation.id, userId))
        : '';
    $('conversation-presence').textContent = text;
    $('conversation-presence').hidden = !text;
  }

  /**
   * Updates the open conversation's log in place: only new or changed messages are (re)built, so
   * the live region announces what arrived, not the whole conversation again.
   */
  renderMessages() {
    const list = $('messages');
    const conversation = this.session?.inbox.conversations.get(this.selectedId);
    if (!conversation) {
      list.replaceChildren();
      $('load-earlier').hidden = true;
      return;
    }
    $('load-earlier').hidden = conversation.earlierBeforeSeq === null;
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    const shown = new Map([...list.children].map(item => [item.dataset.key, item]));
    const messages = [...conversation.orderedMessages(), ...this.pendingOf(conversation.id).values()];
    const ownUserId = this.session.claims.userId;
    const nameOf = userId => this.session.names.nameOf(conversation.id, userId);
    let previous = null;
    for (const message of messages) {
      const key = message.localId && message.pending ? `pending-${message.localId}` : `seq-${message.seq}`;
      const signature = `${message.version}|${message.status}|${message.pending || ''}`;
      let item = shown.get(key);
      shown.delete(key);
      const sender = senderName(message, ownUserId, nameOf);
      if (item && item.dataset.signature === signature) {
        // a name that became known replaces the id as text: the log does not announce the message again
        const shownSender = item.querySelector('.sender');
        if (shownSender.textContent !== sender) {
          shownSender.textContent = sender;
        }
      } else {
        const fresh = messageItem(message, ownUserId, sender, (m, a, b) => this.cardAction(m, a, b));
        fresh.dataset.key = key;
        fresh.dataset.signature = signature;
        if (item) {
          item.replaceWith(fresh);
        }
        item = fresh;
      }
      const expected = previous ? previous.nextSibling : list.firstChild;
      if (item !== expected) {
        list.insertBefore(item, expected);
      }
      previous = item;
    }
    shown.forEach(item => item.remove());
    if (atBottom) {
      list.scrollTop = list.scrollHeight;
    }
  }
}

new Page().start();
