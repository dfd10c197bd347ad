// The push protocol's conversation of the page with push-service: after every (re)connect the page
// resumes from the changeSeqs it has applied, applies the replayed and then the live frames, fills
// gaps with `fetch`, and reads conversations it meets for the first time from message-service.

import {backoffDelay} from './push-client.js';

const MESSAGE_FRAMES = new Set(['message.created', 'message.edited', 'message.recalled', 'message.deleted']);

/**
 * Events: `state` (detail {state, text}: resuming, live, catching-up), `notice` (detail {text,
 * kind}: something the user should read), `expiring` (detail {expiresAt}), `refreshed`.
 */
export class Sync extends EventTarget {
  constructor(push, inbox, api, presence) {
    super();
    this.push = push;
    this.inbox = inbox;
    this.api = api;
    this.presence = presence;
    this.resumeAttempt = 0;
    this.resumeTimer = null;
    this.fetchAttempt = 0;
    this.fetchTimer = null;
    push.addEventListener('frame', event => this.onFrame(event.detail));
    push.addEventListener('state', () => {
      // a new connection resumes and fetches anew
      clearTimeout(this.resumeTimer);
      clearTimeout(this.fetchTimer);
    });
    inbox.addEventListener('discovered', event => this.discover(event.detail.conversationId));
  }

  onFrame(frame) {
    if (MESSAGE_FRAMES.has(frame.type)) {
      const gap = this.inbox.applyMessageFrame(frame);
      if (gap) {
        this.fetch(gap);
      }
      return;
    }
    switch (frame.type) {
      case 'session.ready':
        this.inbox.userId = frame.userId;
        this.resumeAttempt = 0;
        for (const conversation of this.inbox.conversations.values()) {
          conversation.fetching = false;
        }
        this.resume();
        this.presence.connected();
        break;
      case 'conversation.synced':
        this.inbox.applyState(frame, frame.known);
        break;
      case 'resume.done':
        this.resumeAttempt = 0;
        this.inbox.applyResumeDone(frame);
        this.emitState('live', 'Live');
        break;
      case 'fetch.done':
        this.fetchAttempt = 0;
        if (this.inbox.applyFetchDone(frame)) {
          this.fetch(this.inbox.conversations.get(frame.conversationId));
        }
        break;
      case 'read.updated':
        this.inbox.applyRead(frame);
        break;
      case 'message.hidden':
        this.inbox.applyHidden(frame);
        break;
      case 'conversation.changed':
        this.inbox.applyChanged(frame);
        break;
      case 'presence.changed':
        this.presence.apply(frame);
        break;
      case 'membership.changed':
        if (frame.change === 'left') {
          this.inbox.remove(frame.conversationId);
        } else {
          this.discover(frame.conversationId);
        }
        break;
      case 'auth.expiring':
        this.dispatchEvent(new CustomEvent('expiring', {detail: {expiresAt: frame.expiresAt}}));
        break;
      case 'auth.refreshed':
        this.dispatchEvent(new CustomEvent('refreshed', {detail: {expiresAt: frame.expiresAt}}));
        break;
      case 'error':
        this.onError(frame);
        break;
      default:
        // pong, and frames of later protocol additions this page does not know
        break;
    }
  }

  resume() {
    this.emitState('resuming', 'Catching up…');
    this.push.send({type: 'resume', conversations: this.inbox.positions()});
  }

  fetchGaps() {
    for (const conversation of this.inbox.conversations.values()) {
      conversation.fetching = false;
      if (conversation.hasGap) {
        this.fetch(conversation);
      }
    }
  }

  fetch(conversation) {
    if (!conversation || conversation.fetching || conversation.changeSeq === null) {
      return;
    }
    conversation.fetching = this.push.send({
      type: 'fetch', conversationId: conversation.id, afterChangeSeq: conversation.changeSeq,
    });
  }

  /** Asks message-service for a conversation the page meets for the first time (joined, or a first message). */
  async discover(conversationId) {
    try {
      this.inbox.applyState(await this.api.conversation(conversationId));
    } catch (error) {
      if (error.status === 404) {
        this.inbox.remove(conversationId);
      }
    }
  }

  onError(frame) {
    switch (frame.code) {
      case 'resume-unavailable':
      case 'resume-timeout': {
        // live frames flow meanwhile; gaps they show are filled by fetch
        const delay = backoffDelay(this.resumeAttempt++);
        this.emitState('catching-up', 'Live; history catches up shortly');
        clearTimeout(this.resumeTimer);
        this.resumeTimer = setTimeout(() => this.resume(), delay);
        break;
      }
      case 'fetch-unavailable':
        // the error does not say which fetch failed: fetch every gap again a little later
        clearTimeout(this.fetchTimer);
        this.fetchTimer = setTimeout(() => this.fetchGaps(), backoffDelay(this.fetchAttempt++));
        break;
      case 'presence-not-allowed':
      case 'presence-limit':
        this.presence.refused();
        break;
      case 'resume-not-allowed':
        this.emitState('live', 'Live');
        this.notice('Your token lacks the scope messages:read: the conversation list cannot be loaded.', 'error');
        break;
      case 'token-missing':
      case 'token-invalid':
      case 'token-not-for-push':
      case 'token-other-session':
        this.notice(`That token cannot renew this session (${frame.code}).`, 'error');
        break;
      default:
        if (frame.code?.includes('fetch')) {
          // fetch-not-found, fetch-not-allowed, invalid-fetch: not worth repeating
          this.inbox.conversations.forEach(conversation => { conversation.fetching = false; });
        }
        this.notice(`The server answered: ${frame.detail || frame.code}`, 'error');
    }
  }

  notice(text, kind) {
    this.dispatchEvent(new CustomEvent('notice', {detail: {text, kind}}));
  }

  emitState(state, text) {
    this.dispatchEvent(new CustomEvent('state', {detail: {state, text}}));
  }
}
