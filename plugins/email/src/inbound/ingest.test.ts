import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyAddress, replyToken, tenantKey } from '../shared/reply-token.ts';
import { type InboundKit, mail, messageIdOf, startInbound } from './test-support.ts';

let kit: InboundKit;
const ingest = (raw: Buffer, envelope?: { to: string[] }) => kit.runtime.ingest({ tenantId: kit.tenantId, raw, source: 'api', envelope });
const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => kit.t.kernel.db.query<T>(sql, params);

beforeAll(async () => {
  kit = await startInbound({ rateLimit: { perSenderPerHour: 1000 } });
  await q(`insert into email_mailbox (id, tenant_id, name, address, host, port, username, password) values ('emb_main', ?, 'Support', 'support@help.test', '127.0.0.1', 1, 'u', 'p')`, [kit.tenantId]);
});
afterAll(async () => kit?.close());

async function newTicket(from = 'Carla Customer <carla@customer.test>', subject = 'Printer is broken') {
  const raw = mail({ from, subject });
  const result = await ingest(raw);
  if (result.status !== 'ticket') throw new Error(`expected a ticket, got ${JSON.stringify(result)}`);
  const ticket = (await q<{ id: string; number: string; requester_id: string; channel: string; title: string; description: string }>('select * from ticket where id = ?', [result.ticketId]))[0];
  return { raw, result, ticket: ticket as NonNullable<typeof ticket>, messageId: messageIdOf(raw) };
}

describe('new mail', () => {
  it('makes a ticket by the sender (a new customer), channel email, threaded as new', async () => {
    const { result, ticket } = await newTicket('"Dana New" <dana@new.test>');
    expect(result).toMatchObject({ status: 'ticket', thread: { by: 'new' }, auto: null });
    const user = (await q<{ email: string; name: string; role: string }>('select email, name, role from app_user where id = ?', [ticket.requester_id]))[0];
    expect(user).toMatchObject({ email: 'dana@new.test', name: 'Dana New', role: 'customer' });
    expect(ticket).toMatchObject({ channel: 'email', title: 'Printer is broken' });
  });

  it('ingests a Message-ID once: the same mail again is a duplicate and changes nothing', async () => {
    const { raw, result } = await newTicket();
    const before = await q('select count(*)::int as n from ticket');
    const again = await ingest(raw);
    expect(again).toMatchObject({ status: 'duplicate', ticketId: result.status === 'ticket' ? result.ticketId : null });
    expect(await q('select count(*)::int as n from ticket')).toEqual(before);
  });

  it('gives mail without a Message-ID a stable one, so a re-delivery of the same bytes is one ticket', async () => {
    const raw = mail({ messageId: null, subject: 'no id' });
    const first = await ingest(raw);
    expect(first.status).toBe('ticket');
    expect((await ingest(raw)).status).toBe('duplicate');
  });
});

describe('threading', () => {
  it('adds a reply naming an earlier message in In-Reply-To as a comment, quoted history stripped, full text kept', async () => {
    const { ticket, messageId } = await newTicket();
    const body = 'Tried that, still blank.\r\n\r\nOn Mon, 30 Nov 2026 at 05:00, Support <support@help.test> wrote:\r\n> Please restart it.\r\n> Thanks\r\n';
    const reply = await ingest(mail({ subject: 'Re: Printer is broken', inReplyTo: messageId, references: messageId, body }));
    expect(reply).toMatchObject({ status: 'comment', ticketId: ticket.id, thread: { by: 'references', messageId } });
    const comment = (await q<{ body: string; channel: string; author_id: string }>('select body, channel, author_id from comment where id = ?', [reply.status === 'comment' ? reply.commentId : '']))[0];
    expect(comment).toMatchObject({ body: 'Tried that, still blank.', channel: 'email', author_id: ticket.requester_id });
    const row = (await q<{ full_text: string; thread: unknown }>('select full_text, thread from email_inbound where comment_id = ?', [comment ? (reply as { commentId: string }).commentId : '']))[0];
    expect(row?.full_text).toContain('Please restart it.');
    expect(row?.thread).toEqual({ by: 'references', messageId });
  });

  it('threads by the signed reply-address token when the client dropped the headers', async () => {
    const { ticket } = await newTicket();
    const key = await kit.t.kernel.db.orm.em.fork().transactional(async (em) => tenantKey(em as never, kit.tenantId));
    const address = replyAddress('support@help.test', replyToken(key, ticket.id));
    const reply = await ingest(mail({ to: address, subject: 'Re: something else', body: 'token reply' }));
    expect(reply).toMatchObject({ status: 'comment', ticketId: ticket.id, thread: { by: 'token', address } });
    const forged = `support+${replyToken(key, ticket.id).slice(0, -1)}x@help.test`;
    expect((await ingest(mail({ to: forged, subject: 'forged token' }))).status).toBe('ticket');
  });

  it('threads by the ticket number in the subject for a participant, and not for a stranger (zammad#2444)', async () => {
    const { ticket } = await newTicket();
    const byNumber = await ingest(mail({ subject: `Re: [#${ticket.number}] Printer`, body: 'by subject' }));
    expect(byNumber).toMatchObject({ status: 'comment', ticketId: ticket.id, thread: { by: 'subject', number: Number(ticket.number) } });
    const stranger = await ingest(mail({ from: 'mallory@evil.test', subject: `Re: [#${ticket.number}] Printer`, body: 'let me in' }));
    expect(stranger).toMatchObject({ status: 'ticket', thread: { by: 'new', notParticipant: { by: 'subject', number: Number(ticket.number) } } });
  });

  it('lets staff reply by mail to any ticket', async () => {
    const { ticket, messageId } = await newTicket();
    const agent = await kit.t.createUser({ role: 'agent', email: 'agent.smith@help.test' });
    const reply = await ingest(mail({ from: 'agent.smith@help.test', inReplyTo: messageId, body: 'On it.' }));
    expect(reply).toMatchObject({ status: 'comment', ticketId: ticket.id });
    expect((await q<{ author_id: string }>('select author_id from comment where id = ?', [(reply as { commentId: string }).commentId]))[0]?.author_id).toBe(agent.id);
  });

  it('sends a reply to a merged ticket on to the ticket it was merged into', async () => {
    const a = await newTicket();
    const b = await newTicket();
    const agent = await kit.t.createUser({ role: 'agent' });
    expect((await kit.t.request('POST', `/api/v1/tickets/${b.ticket.id}/merge`, { token: agent.token, body: { ticketIds: [a.ticket.id] } })).status).toBe(200);
    const reply = await ingest(mail({ inReplyTo: a.messageId, body: 'after the merge' }));
    expect(reply).toMatchObject({ status: 'comment', ticketId: b.ticket.id, thread: { by: 'references', messageId: a.messageId } });
  });

  it('shows the reason and the raw source through the API, following ticket visibility', async () => {
    const { ticket, messageId, raw } = await newTicket();
    await ingest(mail({ inReplyTo: messageId, body: 'api check', to: 'Help Desk <support@help.test>, second@help.test', cc: '"Lima, Ana" <ana@customer.test>' }));
    const agent = await kit.t.createUser({ role: 'agent' });
    const list = await kit.t.request('GET', `/api/v1/email/messages?ticketId=${ticket.id}`, { token: agent.token });
    expect(list.status).toBe(200);
    expect(list.body.items.map((m: { thread: unknown }) => m.thread)).toEqual([{ by: 'new' }, { by: 'references', messageId }]);
    // The header's To, Cc and Date are kept as the mail stated them (names too).
    expect(list.body.items[1]).toMatchObject({
      to: [{ name: 'Help Desk', address: 'support@help.test' }, { name: '', address: 'second@help.test' }],
      cc: [{ name: 'Lima, Ana', address: 'ana@customer.test' }],
      sentAt: '2026-11-30T05:00:00.000Z',
    });
    const rawRes = await fetch(`${kit.t.url}${list.body.items[0].rawUrl}`, { headers: { authorization: `Bearer ${agent.token}` } });
    expect(rawRes.headers.get('content-type')).toContain('message/rfc822');
    expect(Buffer.from(await rawRes.arrayBuffer()).equals(raw)).toBe(true);
    const stranger = await kit.t.createUser({ role: 'customer' });
    expect((await kit.t.request('GET', `/api/v1/email/messages?ticketId=${ticket.id}`, { token: stranger.token })).status).toBe(403);
    expect((await kit.t.request('GET', '/api/v1/email/messages', { token: agent.token })).body.errors?.[0]?.pointer).toMatch(/ticketId/);
  });
});

describe('content', () => {
  it('turns HTML into text: no script, no remote image, Outlook quote header and history cut', async () => {
    const html = '<html><head><style>p{}</style></head><body><p>Hello <b>team</b>,</p><script>alert(1)</script><img src="https://tracker.test/p.gif"><p>see below</p>'
      + '<div id="divRplyFwdMsg"><b>From:</b> Support<br><b>Sent:</b> Monday</div><p>old history</p></body></html>';
    const r = await ingest(mail({ mime: { contentType: 'text/html; charset=utf-8', body: html } }));
    const ticket = (await q<{ description: string }>('select description from ticket where id = ?', [(r as { ticketId: string }).ticketId]))[0];
    expect(ticket?.description).toContain('Hello team,');
    expect(ticket?.description).toContain('see below');
    expect(ticket?.description).not.toMatch(/script|alert|tracker|old history/);
  });

  it('cuts an Outlook plain-text quote header (From:/Sent:) and escapes markup', async () => {
    const body = 'Fixed, thanks <b>a lot</b>!\r\n\r\n________________________________\r\nFrom: Support\r\nSent: Monday, November 30, 2026 5:00 AM\r\nTo: Carla\r\nSubject: RE: Printer\r\n\r\nold text\r\n';
    const r = await ingest(mail({ body, headers: { 'Thread-Index': 'AQHZ1234' } }));
    const ticket = (await q<{ description: string }>('select description from ticket where id = ?', [(r as { ticketId: string }).ticketId]))[0];
    expect(ticket?.description).toBe('Fixed, thanks \\<b>a lot\\</b>!');
  });

  it('treats a header named __proto__ and CR/LF in the subject as plain data', async () => {
    const raw = Buffer.from('From: carla@customer.test\r\nTo: support@help.test\r\n__proto__: {"polluted":true}\r\nSubject: =?utf-8?Q?a=0D=0ABcc:_x@evil.test?=\r\nMessage-ID: <proto@sender.test>\r\n\r\nbody\r\n');
    const r = await ingest(raw);
    expect(r.status).toBe('ticket');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('loops and noise', () => {
  it('stores an auto-reply (Auto-Submitted) as a comment marked automatic, never a new loop', async () => {
    const { ticket, messageId } = await newTicket();
    const r = await ingest(mail({ subject: 'Automatic reply: Printer is broken', inReplyTo: messageId, headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' }, body: 'I am out of the office.' }));
    expect(r).toMatchObject({ status: 'comment', ticketId: ticket.id });
    expect((r as { auto: string[] }).auto).toEqual(expect.arrayContaining(['auto-submitted:auto-replied', 'x-auto-response-suppress', 'auto-reply-subject']));
    const row = (await q<{ auto: string[] }>('select auto from email_inbound where comment_id = ?', [(r as { commentId: string }).commentId]))[0];
    expect(row?.auto).toContain('auto-submitted:auto-replied');
  });

  it('marks list and bulk mail (Precedence, List-Id, X-Loop) but not Auto-Submitted: no', async () => {
    const r = await ingest(mail({ from: 'news@list.test', headers: { Precedence: 'bulk', 'List-Id': '<news.list.test>', 'X-Loop': 'x' } }));
    expect((r as { auto: string[] }).auto).toEqual(['x-loop', 'precedence:bulk', 'mailing-list']);
    // A ticket from automatic mail gets no automatic acknowledgement (outbound's suppression list).
    expect(await q('select ticket_id from email_ack_suppressed where ticket_id = ?', [(r as { ticketId: string }).ticketId])).toHaveLength(1);
    const human = await ingest(mail({ headers: { 'Auto-Submitted': 'no' } }));
    expect((human as { auto: unknown }).auto).toBeNull();
    expect(await q('select ticket_id from email_ack_suppressed where ticket_id = ?', [(human as { ticketId: string }).ticketId])).toHaveLength(0);
  });

  it('ignores mail from our own mailbox address (reply-to-self, glpi#16903)', async () => {
    const before = await q('select count(*)::int as n from ticket');
    const r = await ingest(mail({ from: 'Support <SUPPORT@help.test>' }));
    expect(r).toMatchObject({ status: 'ignored', thread: { by: 'ignored' } });
    expect(await q('select count(*)::int as n from ticket')).toEqual(before);
  });

  it('attaches a DSN bounce to the ticket of the bounced message as an internal note and records the bounce', async () => {
    const { ticket } = await newTicket();
    const outId = '<out-1@help.test>';
    await q(`insert into email_message (id, tenant_id, direction, message_id, ticket_id) values ('emm_out1', ?, 'out', ?, ?)`, [kit.tenantId, outId, ticket.id]);
    const dsn = [
      '--b1', 'Content-Type: text/plain', '', 'Delivery to the following recipient failed permanently: gone@customer.test', '',
      '--b1', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.customer.test', '', 'Final-Recipient: rfc822; gone@customer.test', 'Action: failed', 'Status: 5.1.1', 'Diagnostic-Code: smtp; 550 5.1.1 no such user', '',
      '--b1', 'Content-Type: text/rfc822-headers', '', 'From: support@help.test', 'To: gone@customer.test', `Message-ID: ${outId}`, 'Subject: [#1] Printer', '',
      '--b1--', '',
    ].join('\r\n');
    const r = await ingest(mail({ from: 'Mail Delivery System <MAILER-DAEMON@mx.customer.test>', subject: 'Undelivered Mail Returned to Sender', headers: { 'Auto-Submitted': 'auto-replied' }, mime: { contentType: 'multipart/report; report-type=delivery-status; boundary="b1"', body: dsn } }));
    expect(r).toMatchObject({ status: 'bounce', ticketId: ticket.id, thread: { by: 'bounce', messageId: outId } });
    const note = (await q<{ internal: boolean; body: string }>('select internal, body from comment where id = ?', [(r as { commentId: string }).commentId]))[0];
    expect(note).toMatchObject({ internal: true });
    expect(note?.body).toContain('gone@customer.test');
    expect(await q('select address from email_bounce where tenant_id = ?', [kit.tenantId])).toEqual([{ address: 'gone@customer.test' }]);
  });

  it('keeps aside a bounce that names no message of ours', async () => {
    const r = await ingest(mail({ from: 'MAILER-DAEMON@mx.test', mime: { contentType: 'multipart/report; report-type=delivery-status; boundary="b"', body: '--b\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--b--\r\n' } }));
    expect(r).toMatchObject({ status: 'quarantined', reason: 'bounce-unmatched' });
  });
});
