// Rendering. Message content is only ever set as text (never as HTML), and links only open http(s)
// URLs in a new tab without access to this page.

const TIME = new Intl.DateTimeFormat(undefined, {hour: '2-digit', minute: '2-digit'});
const DAY_AND_TIME = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium', timeStyle: 'short'});

export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === 'className') {
      node.className = value;
    } else if (name === 'dataset') {
      Object.assign(node.dataset, value);
    } else {
      node.setAttribute(name, value === true ? '' : value);
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

/** One entry of the conversation list: a button with the title, a preview and the unread count. */
export function conversationItem(conversation, selected) {
  const unread = conversation.unread;
  const preview = conversation.lastMessage ? previewText(conversation.lastMessage) : 'No messages yet';
  const label = `${conversation.title}${conversation.archived ? ', archived' : ''}${unread ? `, ${unread} unread` : ''}`;
  return element('li', {dataset: {conversationId: conversation.id}},
      element('button', {
        type: 'button', className: 'conversation-item', 'aria-current': selected ? 'true' : null,
        'aria-label': label, dataset: {conversationId: conversation.id},
      },
      element('span', {className: 'conversation-title'}, conversation.title,
          conversation.archived ? element('span', {className: 'tag', 'aria-hidden': 'true'}, 'Archived') : null),
      unread ? element('span', {className: 'unread', 'aria-hidden': 'true', dataset: {unread: String(unread)}}, String(unread)) : null,
      element('span', {className: 'preview'}, preview)));
}

export function previewText(message) {
  if (message.status === 'RECALLED' || message.status === 'DELETED') {
    return 'Message removed';
  }
  return message.text || message.card?.title || '';
}

/**
 * A message of the open conversation, from `sender` (its senderName). `onAction(message, action,
 * button)` is called for a card's callback buttons.
 */
export function messageItem(message, ownUserId, sender, onAction) {
  const own = isOwn(message, ownUserId);
  const removed = message.status === 'RECALLED' || message.status === 'DELETED';
  const created = message.createdAt ? new Date(message.createdAt) : null;
  const body = removed
      ? element('p', {className: 'removed'}, message.status === 'RECALLED' ? 'Message recalled' : 'Message deleted')
      : [message.card ? card(message, onAction) : null,
        message.text && (!message.card || message.text !== message.card.title)
            ? element('p', {className: 'text'}, message.text) : null];
  return element('li', {
    className: `message${own ? ' own' : ''}${message.card ? ' has-card' : ''}${message.pending ? ' pending' : ''}`,
    dataset: {seq: message.seq === undefined ? null : String(message.seq), messageId: message.messageId || null},
  },
  element('div', {className: 'meta'},
      element('span', {className: 'sender'}, sender),
      created ? element('time', {datetime: message.createdAt, title: DAY_AND_TIME.format(created)}, TIME.format(created)) : null,
      message.status === 'EDITED' ? element('span', {className: 'muted'}, '(edited)') : null,
      message.pending ? element('span', {className: 'muted', role: 'status'}, message.pending) : null),
  body);
}

/** Who a message is from, as shown: "You", a notification's source, or `nameOf(senderId)`. */
export function senderName(message, ownUserId, nameOf) {
  if (isOwn(message, ownUserId)) {
    return 'You';
  }
  if (message.senderType === 'APP' || message.origin) {
    return message.origin?.source ? `${message.origin.source} notification` : 'Notification';
  }
  return message.senderId ? nameOf(message.senderId) : 'Unknown';
}

function isOwn(message, ownUserId) {
  return message.senderId === ownUserId && message.senderType === 'USER';
}

/** A notification card: title, fields, link buttons (new tab) and callback buttons (card.action). */
function card(message, onAction) {
  const {title, fields = [], actions = []} = message.card;
  const titleId = `card-${message.conversationId}-${message.seq}`;
  return element('article', {className: 'card', 'aria-labelledby': titleId},
      element('h3', {id: titleId}, title),
      fields.length ? element('dl', {}, fields.map(field => [element('dt', {}, field.label), element('dd', {}, field.value)])) : null,
      actions.length ? element('div', {className: 'actions'}, actions.map(action => actionControl(message, action, onAction))) : null);
}

function actionControl(message, action, onAction) {
  if (action.url) {
    const safe = /^https?:\/\//i.test(action.url);
    return element('a', {
      className: 'button', href: safe ? action.url : null, target: '_blank', rel: 'noopener noreferrer',
      dataset: {actionId: action.id},
    }, action.label, element('span', {className: 'visually-hidden'}, ' (opens in a new tab)'));
  }
  const button = element('button', {type: 'button', className: 'secondary', dataset: {actionId: action.id}}, action.label);
  button.addEventListener('click', () => onAction(message, action, button));
  return button;
}
