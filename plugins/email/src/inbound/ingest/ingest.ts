import { createHash } from 'node:crypto';
import type { Logger, Scope, TicketsService } from '@ticketops/plugin-sdk';
import { isTicketOpsError } from '@ticketops/plugin-sdk';
import type { Email, Mailbox } from 'postal-mime';
import { suppressAcknowledgement } from '../../outbound/acknowledgement.ts';
import { tenantKey } from '../../shared/reply-token.ts';
import type { InboundConfig } from '../config.ts';
import { sql } from '../db.ts';
import { type ParserPool, ParseFailure, type Parsed } from '../parse/pool.ts';
import { prescan } from '../parse/prescan.ts';
import { type AttachmentHandoff, handOffAttachments } from './attachments.ts';
import { type AuthVerdict, UNCHECKED, verifyAuth } from './auth.ts';
import { handleBounce } from './bounce.ts';
import { type Headers, header, headerMap, isBounce, messageIds, noiseReasons } from './noise.ts';
import { type QuarantineReason, quarantine } from './quarantine.ts';
import { withinRate } from './rate.ts';
import { claimMessageId, existingInbound, recordInbound } from './record.ts';
import { type ThreadReason, findThread, followMerged, isParticipant } from './thread.ts';

export interface IngestDeps {
  config: InboundConfig;
  pool: ParserPool;
  tickets: TicketsService;
  forTenant<R>(tenantId: string, work: (scope: Scope) => Promise<R>): Promise<R>;
  forUser<R>(tenantId: string, userId: string, work: (scope: Scope) => Promise<R>): Promise<R>;
  attachments: AttachmentHandoff | null;
  resolver: Parameters<typeof verifyAuth>[1]['resolver'];
  logger: Logger;
  /** Outbound's subject tag (`config.outbound.subjectTag`). */
  subjectPattern?: string;
}

export interface IngestInput {
  tenantId: string;
  raw: Buffer;
  source: 'smtp' | 'imap' | 'api';
  mailboxId?: string | null;
  /** What the SMTP envelope said (recipients carry the reply token even when headers do not). */
  envelope?: { from?: string; to: string[]; ip?: string; helo?: string };
  /** An IMAP message too large to download: kept aside as a pointer (mailbox, UID) without bytes. */
  oversize?: { size: number; uid: number; uidValidity: string };
}

export type IngestResult =
  | { status: 'ticket' | 'comment' | 'bounce' | 'ignored'; messageId: string; ticketId: string | null; commentId: string | null; thread: ThreadReason; auto: string[] | null }
  | { status: 'duplicate'; messageId: string; ticketId: string | null; commentId: string | null }
  | { status: 'quarantined'; reason: QuarantineReason; quarantineId: string; messageId: string | null };

const MAX_BODY_CHARS = 60_000;

/** Markdown of the comment: what the sender wrote, `<` escaped so no HTML reaches the renderer. */
function commentBody(text: string): string {
  const body = text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}\n\n…(cut; the full text is kept with the message)` : text;
  return (body || '(no text)').replace(/\\/g, '\\\\').replace(/</g, '\\<');
}

const title = (subject: string | undefined) => (subject?.replace(/^\s*((re|aw|fw|fwd|wg|sv|antw)\s*:\s*)+/i, '').trim() || '(no subject)').slice(0, 250);

function firstMailbox(address: Email['from']): Mailbox | null {
  if (!address) return null;
  if (address.address) return address as Mailbox;
  return address.group?.[0] ?? null;
}

function recipients(email: Email, headers: Headers, envelope?: IngestInput['envelope']): string[] {
  const list = [...(email.to ?? []), ...(email.cc ?? [])].flatMap((a) => (a.group ? a.group.map((m) => m.address) : [a.address]));
  const extra = [...(envelope?.to ?? []), email.deliveredTo, header(headers, 'x-original-to')];
  return [...new Set([...list, ...extra].filter((a): a is string => !!a).map((a) => a.toLowerCase()))].slice(0, 100);
}

/** To and Cc as the mail states them (names kept), at most 100 each. */
function addressed(email: Email): { to: Mailbox[]; cc: Mailbox[] } {
  const flat = (list: Email['to']) =>
    (list ?? [])
      .flatMap((a) => (a.group ? a.group : [a as Mailbox]))
      .filter((m) => m.address)
      .slice(0, 100)
      .map((m) => ({ name: (m.name ?? '').slice(0, 200), address: m.address.slice(0, 320) }));
  return { to: flat(email.to), cc: flat(email.cc) };
}

/** The Date header as an instant; null when absent or not a date (postal-mime passes those through as text). */
function sentAt(date: string | undefined): Date | null {
  if (!date) return null;
  const parsed = new Date(date);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

/** The tenant's reply-token key never changes once made: read it once per process. */
const keys = new Map<string, Buffer>();
async function cachedKey(scope: Scope, tenantId: string): Promise<Buffer> {
  let key = keys.get(tenantId);
  if (!key) {
    key = await tenantKey(scope.em, tenantId);
    keys.set(tenantId, key);
  }
  return key;
}

/** A stable id for mail that has none: the same bytes delivered twice are one message. */
const syntheticId = (raw: Buffer) => `<${createHash('sha256').update(raw).digest('hex').slice(0, 40)}@no-message-id.ticketops.invalid>`;

/**
 * One message in, exactly one outcome out: a new ticket, a comment, a bounce note, an ignored
 * loop, a duplicate of an earlier ingest, or a row in the quarantine. The ticket change and the
 * Message-ID claim commit together, so a crash anywhere leaves either nothing or everything.
 */
export async function ingest(deps: IngestDeps, input: IngestInput): Promise<IngestResult> {
  const { config } = deps;
  const { tenantId, raw, source } = input;
  const mailboxId = input.mailboxId ?? null;
  const keep = (reason: QuarantineReason, detail: Record<string, unknown>, messageId: string | null = null, sender: string | null = null, subject: string | null = null) =>
    deps.forTenant(tenantId, async (scope) => {
      const size = input.oversize?.size ?? raw.length;
      const { id } = await quarantine(scope.em, { tenantId, raw: input.oversize ? null : raw, size, messageId, source, mailboxId, sender, subject, reason, detail });
      return { status: 'quarantined', reason, quarantineId: id, messageId } as const;
    });

  if (input.oversize) return keep('too-large', { ...input.oversize, limit: config.limits.maxMessageBytes }, `<imap:${mailboxId}:${input.oversize.uidValidity}:${input.oversize.uid}>`);
  const scan = prescan(raw, config.limits);
  if (!scan.ok) return keep(scan.reason, scan.detail);
  let parsed: Parsed;
  try {
    parsed = await deps.pool.parse(raw);
  } catch (error) {
    if (error instanceof ParseFailure) return keep(error.reason, { message: error.message.slice(0, 500) });
    throw error;
  }
  try {
    // Mail kept aside after parsing carries its subject, so the quarantine list says what it was.
    const keepParsed: Keep = (reason, detail, messageId = null, sender = null) => keep(reason, detail, messageId, sender, parsed.email.subject ?? null);
    return await ingestParsed(deps, input, parsed, scan.headerBytes, keepParsed);
  } catch (error) {
    // A refusal by the kernel (validation, a deactivated user, an address it will not take) will
    // not change on retry: keep the mail aside. Anything else (the database is down) is retried.
    if (isTicketOpsError(error) && ['invalid_input', 'forbidden', 'not_found', 'conflict'].includes(error.code)) {
      return keep('ingest-error', { code: error.code, message: error.message.slice(0, 500) }, null, null, parsed.email.subject ?? null);
    }
    throw error;
  }
}

type Keep = (reason: QuarantineReason, detail: Record<string, unknown>, messageId?: string | null, sender?: string | null) => Promise<IngestResult>;

async function ingestParsed(deps: IngestDeps, input: IngestInput, parsed: Parsed, headerBytes: number, keep: Keep): Promise<IngestResult> {
  const { config, tickets } = deps;
  const { tenantId, raw, source } = input;
  const mailboxId = input.mailboxId ?? null;
  const { email, reply } = parsed;
  const headers = headerMap(email);
  const messageId = messageIds(email.messageId, 1)[0] ?? syntheticId(raw);
  const from = firstMailbox(email.from)?.address?.toLowerCase() || input.envelope?.from?.toLowerCase() || null;

  // The cheap checks share one scope: an earlier ingest of this Message-ID, our own address as sender.
  const { seen, own } = await deps.forTenant(tenantId, async (scope) => ({
    seen: await existingInbound(scope.em, tenantId, messageId),
    own: from ? (await sql(scope.em, 'select 1 from email_mailbox where tenant_id = ? and lower(address) = ?', [tenantId, from])).length > 0 : false,
  }));
  if (seen) return { status: 'duplicate', messageId, ...seen };
  if (!from?.includes('@')) return keep('no-sender', {}, messageId);

  const auth: AuthVerdict = config.authentication.verify
    ? await verifyAuth(raw, { ip: input.envelope?.ip, helo: input.envelope?.helo, sender: input.envelope?.from, resolver: deps.resolver })
    : UNCHECKED;
  if (config.authentication.require === 'dmarc' && auth.dmarc !== 'pass') return keep('authentication', { ...auth }, messageId, from);

  const base = { tenantId, messageId, source, mailboxId, sender: from, subject: email.subject ?? null, recipients: addressed(email), sentAt: sentAt(email.date), auth, fullText: reply.full, raw };
  const withFiles = !!deps.attachments && config.attachments && email.attachments.length > 0;

  if (isBounce(headers, from)) {
    const outcome = await deps.forTenant(tenantId, (scope) => handleBounce(scope, tickets, base, raw, headerBytes, reply.full));
    return outcome ?? keep('bounce-unmatched', {}, messageId, from);
  }

  if (own) {
    // Mail from our own address (reply-to-self, glpi#16903) would answer itself forever.
    return deps.forTenant(tenantId, (scope) =>
      scope.transactional(async (tx) => {
        const claimed = await claimMessageId(tx, tenantId, messageId);
        if (!claimed) return { status: 'duplicate', messageId, ticketId: null, commentId: null } as const;
        const thread: ThreadReason = { by: 'ignored', why: 'sent from one of our own mailbox addresses' };
        await recordInbound(tx, { ...base, emailMessageId: claimed, kind: 'ignored', ticketId: null, commentId: null, thread, auto: ['own-address'] });
        return { status: 'ignored', messageId, ticketId: null, commentId: null, thread, auto: ['own-address'] } as const;
      }),
    );
  }

  const rate = await deps.forTenant(tenantId, (scope) => withinRate(scope.em, tenantId, from, config.rateLimit.perSenderPerHour));
  if (!rate.ok) return keep('rate-limited', { count: rate.count, perHour: config.rateLimit.perSenderPerHour }, messageId, from);

  const name = firstMailbox(email.from)?.name?.slice(0, 200) || undefined;
  const findPerson = () => deps.forTenant(tenantId, (scope) => tickets.person(scope, from, config.unknownSenders === 'create' ? { create: { name } } : {}));
  // Two mails from one new sender at once (two processes): the loser of the insert finds the winner's row.
  const person = await findPerson().catch((error) => (isTicketOpsError(error) ? Promise.reject(error) : findPerson()));
  if (!person) return keep('unknown-sender', {}, messageId, from);

  const auto = noiseReasons(headers, email.subject);
  const { match, reason } = await deps.forTenant(tenantId, async (scope) => {
    const key = await cachedKey(scope, tenantId);
    const found = await findThread(scope, tickets, key, config.threading.order, {
      references: [...messageIds(email.inReplyTo, 5), ...messageIds(email.references)],
      recipients: recipients(email, headers, input.envelope),
      subject: email.subject,
      subjectPattern: deps.subjectPattern,
    });
    if (!found) return { match: null, reason: { by: 'new' } as ThreadReason };
    found.ticketId = await followMerged(scope.em, tenantId, found.ticketId);
    if (await isParticipant(scope.em, tenantId, found.ticketId, person)) return { match: found.ticketId, reason: found.reason };
    return { match: null, reason: { by: 'new', notParticipant: found.reason } as ThreadReason };
  });
  if (!match && reason.by === 'new' && reason.notParticipant && config.threading.nonParticipant === 'quarantine') {
    return keep('not-participant', { matched: reason.notParticipant }, messageId, from);
  }

  const outcome: IngestResult = await deps.forUser(tenantId, person.id, (scope) =>
      scope.transactional(async (tx): Promise<IngestResult> => {
        const claimed = await claimMessageId(tx, tenantId, messageId);
        if (!claimed) return { status: 'duplicate', messageId, ...((await existingInbound(tx.em, tenantId, messageId)) ?? { ticketId: null, commentId: null }) };
        const autoList = auto.length > 0 ? auto : null;
        if (match) {
          const comment = await tickets.comment(scope, match, { body: commentBody(reply.visible), internal: false, channel: 'email' }, { tx });
          await recordInbound(tx, { ...base, emailMessageId: claimed, kind: 'comment', ticketId: match, commentId: comment.id, thread: reason, auto: autoList, attachmentsDue: withFiles });
          return { status: 'comment', messageId, ticketId: match, commentId: comment.id, thread: reason, auto: autoList };
        }
        const ticket = await tickets.create(scope, { title: title(email.subject), description: commentBody(reply.visible), channel: 'email' }, { via: 'email', tx });
        // Automatic mail gets no automatic acknowledgement (RFC 3834): outbound's list, same transaction.
        if (autoList) await suppressAcknowledgement(tx.em, tenantId, ticket.id);
        await recordInbound(tx, { ...base, emailMessageId: claimed, kind: 'ticket', ticketId: ticket.id, commentId: null, thread: reason, auto: autoList, attachmentsDue: withFiles });
        return { status: 'ticket', messageId, ticketId: ticket.id, commentId: null, thread: reason, auto: autoList };
      }),
    );
  if ((outcome.status === 'ticket' || outcome.status === 'comment') && withFiles) {
    await handOffAttachments(deps, tenantId, person.id, messageId, outcome, email.attachments);
  }
  return outcome;
}
