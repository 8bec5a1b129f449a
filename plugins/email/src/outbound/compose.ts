import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';
import { replyAddress, replyToken, tenantKey } from '../shared/reply-token.ts';
import { type OutboundConfig, senderOf } from './config.ts';
import { pgArray, sql } from './db.ts';
import { type Person, people } from './facts.ts';
import { NOTIFICATIONS } from './notifications.ts';
import type { Notice, Plan } from './plan.ts';
import { loadPreferences } from './preferences.ts';
import { oneLine, taggedSubject } from './subject.ts';
import { markdownToHtml } from './templates/markdown.ts';
import { renderHtml, renderText } from './templates/render.ts';
import { chooseTemplate, loadOverrides } from './templates/store.ts';

/** A rendered message, stored in the outbox row and handed to nodemailer as it is. */
export interface Envelope {
  from: { name: string; address: string };
  to: { name: string; address: string };
  replyTo: string;
  /** MAIL FROM (where bounces go). */
  sender: string;
  subject: string;
  html: string;
  text: string;
  /** `<…>` forms. */
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  headers: Record<string, string>;
  locale: string;
}

export interface Composed {
  notice: Notice;
  recipient: Person;
  envelope: Envelope;
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1);

/** References kept: the first message of the thread and the latest ones (RFC 5322 §3.6.4 allows trimming). */
const MAX_REFERENCES = 20;

/**
 * Filters a plan's notices to the people who should get them and renders each one: recipient
 * active, not the actor, allowed by audience (customers never get staff mail, so never internal
 * notes), wanted (preferences), not one of our own mailboxes (loop guard), not already queued.
 */
export interface Audience {
  isOwnAddress: (address: string) => boolean;
  /** Whether the user may read internal notes (the kernel's own permission check). */
  isStaff: (userId: string) => Promise<boolean>;
}

export async function compose(em: EntityManager, tenantId: string, plan: Plan, config: OutboundConfig, audience: Audience): Promise<Composed[]> {
  const { ticket, comment } = plan;
  const keys = plan.notices.map((n) => n.dedupeKey);
  const queued = new Set(
    keys.length
      ? (await sql<{ dedupe_key: string }>(em, 'select dedupe_key from email_outbox where tenant_id = ? and dedupe_key = any(?::text[])', [tenantId, pgArray(keys)])).map((r) => r.dedupe_key)
      : [],
  );
  const persons = await people(em, tenantId, plan.notices.flatMap((n) => [n.userId, n.actorId]));
  const prefs = await loadPreferences(em, tenantId, plan.notices.map((n) => n.userId));
  const wanted: Notice[] = [];
  for (const n of plan.notices) {
    const to = persons.get(n.userId);
    if (!to?.active || !to.email || queued.has(n.dedupeKey)) continue;
    if (n.actorId === n.userId && n.kind !== 'ticket-created') continue;
    if (!NOTIFICATIONS[n.kind].essential && prefs.get(n.userId)?.disabled.has(n.kind)) continue;
    if (audience.isOwnAddress(to.email)) continue;
    // Staff mail and anything about an internal note: only to people who may read internal notes.
    const staffOnly = NOTIFICATIONS[n.kind].audience === 'staff' || comment?.internal === true;
    if (staffOnly && (to.role === 'customer' || !(await audience.isStaff(to.id)))) continue;
    wanted.push(n);
  }
  if (!wanted.length) return [];
  const acknowledged = await recentAcknowledgements(em, tenantId, wanted, persons);

  const sender = senderOf(config, tenantId);
  const key = await tenantKey(em, tenantId);
  const replyTo = replyAddress(sender.replyAddress, replyToken(key, ticket.id));
  const domain = config.messageIdDomain ?? domainOf(sender.address);
  const thread = (
    await sql<{ message_id: string }>(em, 'select message_id from email_message where tenant_id = ? and ticket_id = ? order by created_at, id', [tenantId, ticket.id])
  ).map((r) => `<${r.message_id}>`);
  const references = thread.length > MAX_REFERENCES ? [thread[0] as string, ...thread.slice(-(MAX_REFERENCES - 1))] : thread;
  const overrides = await loadOverrides(em, tenantId, [...new Set(wanted.map((n) => n.kind))]);
  const url = config.ticketUrl?.replace('{id}', encodeURIComponent(ticket.id)).replace('{number}', String(ticket.number)) ?? null;
  const commentData = comment ? { html: markdownToHtml(comment.body), text: comment.body, internal: comment.internal } : null;

  const out: Composed[] = [];
  for (const notice of wanted) {
    const to = persons.get(notice.userId) as Person;
    if (notice.kind === 'ticket-created' && (acknowledged.get(to.email.toLowerCase()) ?? 0) >= config.acknowledgementsPerHour) continue;
    const actor = notice.actorId ? persons.get(notice.actorId) : undefined;
    const { source, locale } = chooseTemplate(overrides, notice.kind, prefs.get(to.id)?.locale ?? config.defaultLocale, config.defaultLocale);
    const data = {
      ticket: { id: ticket.id, number: ticket.number, title: ticket.title, status: ticket.status, priority: ticket.priority, url },
      recipient: { name: to.name, email: to.email },
      author: actor ? { name: actor.name } : null,
      comment: commentData,
      helpdesk: { name: sender.name },
    };
    const headers: Record<string, string> = { 'X-Loop': sender.address, 'X-TicketOps-Ticket': String(ticket.number) };
    if (notice.autoSubmitted) {
      headers['Auto-Submitted'] = notice.autoSubmitted;
      headers['X-Auto-Response-Suppress'] = 'All';
      headers.Precedence = 'bulk';
    } else {
      // A person's reply: no auto-submitted marks, but no out-of-office answers to our mailbox either.
      headers['X-Auto-Response-Suppress'] = 'OOF, AutoReply';
    }
    out.push({
      notice,
      recipient: to,
      envelope: {
        from: { name: oneLine(sender.name), address: sender.address },
        to: { name: oneLine(to.name), address: to.email },
        replyTo,
        sender: sender.address,
        subject: taggedSubject(ticket.number, renderText(source.subject, data), config.subjectTag),
        html: renderHtml(source.html, data),
        text: renderText(source.text, data),
        messageId: `<${comment?.id ?? ticket.id}.${randomBytes(9).toString('base64url')}@${domain}>`,
        inReplyTo: references.at(-1) ?? null,
        references,
        headers,
        locale,
      },
    });
  }
  return out;
}

/** Acknowledgements sent to each address in the last hour (RFC 3834 §2: do not answer a sender over and over). */
async function recentAcknowledgements(em: EntityManager, tenantId: string, notices: Notice[], persons: Map<string, Person>): Promise<Map<string, number>> {
  const addresses = notices.filter((n) => n.kind === 'ticket-created').map((n) => (persons.get(n.userId) as Person).email.toLowerCase());
  if (!addresses.length) return new Map();
  const rows = await sql<{ address: string; n: string }>(
    em,
    `select lower(to_address) as address, count(*) as n from email_outbox
      where tenant_id = ? and kind = 'ticket-created' and lower(to_address) = any(?::text[]) and created_at > now() - interval '1 hour' group by 1`,
    [tenantId, pgArray(addresses)],
  );
  return new Map(rows.map((r) => [r.address, Number(r.n)]));
}
