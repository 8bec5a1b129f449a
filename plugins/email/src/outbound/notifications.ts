/**
 * The notifications this plugin sends. `requester` ones go to the ticket's requester (usually a
 * customer); `staff` ones only to agents and admins (never to customers: they may carry internal
 * notes). An `essential` notification cannot be turned off (a customer must get the agent's reply).
 */
export const NOTIFICATIONS = {
  'ticket-created': { audience: 'requester', essential: false, description: 'Acknowledgement of a new ticket, to its requester' },
  'agent-reply': { audience: 'requester', essential: true, description: "An agent's public reply, to the requester" },
  'ticket-solved': { audience: 'requester', essential: false, description: 'The ticket was solved, to the requester' },
  'ticket-assigned': { audience: 'staff', essential: false, description: 'A ticket was assigned to you' },
  'agent-mention': { audience: 'staff', essential: false, description: 'You were mentioned in a comment' },
  'ticket-comment': { audience: 'staff', essential: false, description: 'A new reply or internal note on a ticket assigned to you or that you watch' },
} as const;

export type NotificationKind = keyof typeof NOTIFICATIONS;
export const NOTIFICATION_KINDS = Object.keys(NOTIFICATIONS) as NotificationKind[];

export const isNotificationKind = (value: string): value is NotificationKind => Object.hasOwn(NOTIFICATIONS, value);

/** Staff are those who may read internal notes (whatever their role is called). */
export const STAFF_PERMISSION = 'tickets.notes.read';

/** The kinds a user can receive: staff all, everyone else only the requester ones. */
export function kindsFor(staff: boolean): NotificationKind[] {
  return NOTIFICATION_KINDS.filter((kind) => staff || NOTIFICATIONS[kind].audience === 'requester');
}
