import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { parse as parseCookies } from 'cookie';
import { WebSocketServer } from 'ws';
import { TicketOpsError, isTicketOpsError } from '@ticketops/plugin-sdk';
import { authenticate } from '../auth/authenticate.ts';
import type { Kernel } from '../kernel/kernel.ts';
import { type BulkProgressNotice, STREAM_CHANNEL, type StreamNotice } from '../tickets/announce.ts';
import { type TicketFilter, ticketFilterSql } from '../tickets/search/filters.ts';
import { TICKET_COLUMNS, toTicketRecord } from '../tickets/record.ts';
import { getTicket } from '../tickets/ticket-service.ts';
import { audienceOf, canSee, seesInternalNotes } from '../tickets/visibility.ts';
import { type StreamConnection, allowMessage, send } from './connection.ts';
import { PRESENCE_CHANNEL, presenceOf, setPresence } from './presence.ts';
import { createViewCounts } from './view-counts.ts';

export const STREAM_PATH = '/api/v1/stream';

/**
 * The realtime stream: a WebSocket at /api/v1/stream. Notices arrive through PostgreSQL
 * LISTEN/NOTIFY (so a change on any node reaches sockets on every node, and only after commit);
 * each is re-read and permission-checked for every connection before anything is sent.
 */
export async function attachStream(server: Server, kernel: Kernel): Promise<{ close(): void }> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });
  const connections = new Set<StreamConnection>();
  const viewCounts = createViewCounts(kernel, connections);

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== STREAM_PATH) return socket.destroy();
    accept(kernel, req, url).then(
      (principal) => wss.handleUpgrade(req, socket, head, (ws) => open(ws, principal)),
      (error) => {
        const status = isTicketOpsError(error) && error.code === 'forbidden' ? '403 Forbidden' : '401 Unauthorized';
        socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/problem+json\r\nConnection: close\r\n\r\n${JSON.stringify({ status: Number.parseInt(status, 10), code: status.startsWith('403') ? 'forbidden' : 'unauthenticated', detail: (error as Error).message })}`);
      },
    );
  });

  async function open(socket: import('ws').WebSocket, principal: NonNullable<Awaited<ReturnType<typeof authenticate>>>) {
    const scope = kernel.createScope({ tenantId: principal.tenantId, actor: principal.actor, requestId: 'stream' });
    const conn: StreamConnection = {
      socket, principal, audience: await audienceOf(scope.em, principal.tenantId, principal.actor), staff: seesInternalNotes(principal.actor),
      tickets: new Set(), views: new Map(), viewCounts: new Map(), mine: false, alive: true, budget: 20, budgetAt: Date.now(),
    };
    connections.add(conn);
    socket.on('pong', () => (conn.alive = true));
    socket.on('close', () => {
      connections.delete(conn);
      viewCounts.forget(conn);
      for (const ticketId of conn.tickets) if (conn.staff && principal.actor.userId) void setPresence(kernel, principal.tenantId, ticketId, principal.actor.userId, 'left').catch(() => {});
    });
    socket.on('message', (data) => void onMessage(conn, String(data)));
    send(conn, { type: 'ready', userId: principal.actor.userId });
  }

  async function onMessage(conn: StreamConnection, raw: string) {
    if (!allowMessage(conn)) return conn.socket.close(1008, 'too many messages');
    let message: { type?: unknown; ticketId?: unknown; viewId?: unknown; mine?: unknown; state?: unknown; id?: unknown };
    try {
      message = JSON.parse(raw);
    } catch {
      return send(conn, { type: 'error', code: 'invalid_input', message: 'Messages must be JSON objects' });
    }
    const reply = (extra: Record<string, unknown>) => send(conn, { ...(message.id !== undefined ? { id: message.id } : {}), ...extra });
    const { tenantId, actor } = conn.principal;
    try {
      if ((message.type === 'subscribe' || message.type === 'unsubscribe') && message.mine === true) {
        conn.mine = message.type === 'subscribe';
        return reply({ type: `${message.type}d`, mine: true });
      }
      if ((message.type === 'subscribe' || message.type === 'unsubscribe') && typeof message.viewId === 'string') {
        if (message.type === 'unsubscribe') {
          conn.views.delete(message.viewId);
          viewCounts.unsubscribe(conn, message.viewId);
          return reply({ type: 'unsubscribed', viewId: message.viewId });
        }
        const [view] = await kernel.db.query<{ filter: unknown }>('select filter from ticket_view where tenant_id = ? and id = ? and (owner_id is null or owner_id = ?)', [tenantId, message.viewId, actor.userId]);
        if (!view) return reply({ type: 'error', code: 'not_found', message: 'View was not found', viewId: message.viewId });
        const filter = (typeof view.filter === 'string' ? JSON.parse(view.filter) : view.filter) as TicketFilter;
        conn.views.set(message.viewId, filter);
        reply({ type: 'subscribed', viewId: message.viewId });
        // Then the current count as this user sees it (`view.count`), and again whenever it changes.
        return await viewCounts.subscribe(conn, message.viewId, filter);
      }
      if ((message.type === 'subscribe' || message.type === 'unsubscribe' || message.type === 'presence') && typeof message.ticketId === 'string') {
        const ticketId = message.ticketId;
        if (message.type === 'unsubscribe') {
          conn.tickets.delete(ticketId);
          return reply({ type: 'unsubscribed', ticketId });
        }
        // Seeing the ticket is checked on every subscribe and presence message.
        await getTicket(kernel.createScope({ tenantId, actor, requestId: 'stream' }), kernel.db.em.fork(), ticketId);
        if (message.type === 'subscribe') {
          conn.tickets.add(ticketId);
          reply({ type: 'subscribed', ticketId });
          if (conn.staff) send(conn, { type: 'presence', ticketId, users: await presenceOf(kernel, tenantId, ticketId) });
          return;
        }
        if (!conn.staff || !actor.userId) return reply({ type: 'error', code: 'forbidden', message: 'Presence is for agents' });
        if (!['viewing', 'replying', 'left'].includes(message.state as string)) return reply({ type: 'error', code: 'invalid_input', message: 'state must be viewing, replying or left' });
        await setPresence(kernel, tenantId, ticketId, actor.userId, message.state as 'viewing');
        return;
      }
      if (message.type === 'ping') return reply({ type: 'pong' });
      reply({ type: 'error', code: 'invalid_input', message: 'Unknown message; send subscribe/unsubscribe with ticketId or mine, presence, or ping' });
    } catch (error) {
      reply({ type: 'error', code: isTicketOpsError(error) ? error.code : 'internal', message: isTicketOpsError(error) ? error.message : 'failed', ticketId: message.ticketId });
    }
  }

  async function onNotice(payload: string) {
    let notice: StreamNotice | BulkProgressNotice;
    try {
      notice = JSON.parse(payload);
    } catch {
      return;
    }
    const inTenant = [...connections].filter((c) => c.principal.tenantId === notice.tenantId);
    if (inTenant.length === 0) return;
    if (notice.kind === 'bulk.progress') {
      for (const c of inTenant) if (c.principal.actor.userId === notice.actorId) send(c, { type: 'bulk.progress', jobId: notice.jobId, done: notice.done, total: notice.total, state: notice.state });
      return;
    }
    viewCounts.noticed(notice);
    // Read the ticket once per notice and node; every recipient is then checked against it.
    const [row] = await kernel.db.query(`select ${TICKET_COLUMNS} from ticket t where t.id = ? and t.tenant_id = ?`, [notice.ticketId, notice.tenantId]);
    const ticket = row ? toTicketRecord(row) : null;
    const comment = notice.kind === 'comment.created' && notice.commentId
      ? (await kernel.db.query('select id, ticket_id, author_id, body, internal, channel, created_at from comment where id = ?', [notice.commentId]))[0]
      : undefined;
    for (const c of inTenant) {
      const userId = c.principal.actor.userId;
      const views = ticket ? await matchingViews(c, notice.ticketId) : [];
      const interested = c.tickets.has(notice.ticketId) || views.length > 0 || (c.mine && ticket !== null && (ticket.assigneeId === userId || ticket.requesterId === userId));
      if (!interested) continue;
      if (notice.kind === 'comment.created' && notice.internal && !c.staff) continue;
      if (ticket && !canSee(c.audience, ticket)) continue;
      const message: Record<string, unknown> = { type: notice.kind, ticketId: notice.ticketId, actorId: notice.actorId };
      if (views.length) message.viewIds = views;
      if (notice.changes) message.changes = notice.changes;
      if (ticket && notice.kind !== 'ticket.deleted' && !ticket.mergedIntoId) message.ticket = ticket;
      if (comment) {
        message.comment = { id: comment.id, ticketId: comment.ticket_id, authorId: comment.author_id, body: comment.body, internal: comment.internal, channel: comment.channel, createdAt: new Date(comment.created_at as string).toISOString() };
      }
      send(c, message);
    }
  }

  /** The subscribed views whose filter the changed ticket matches, for this connection's rights. */
  async function matchingViews(c: StreamConnection, ticketId: string): Promise<string[]> {
    const matched: string[] = [];
    for (const [viewId, filter] of c.views) {
      const { where, params } = ticketFilterSql({ ...filter, ids: [ticketId] }, { tenantId: c.principal.tenantId, actorUserId: c.principal.actor.userId, audience: c.audience, searchNotes: c.staff, listFields: kernel.declarations.listFields });
      const rows = await kernel.db.query(`select 1 from ticket t where ${where}`, params);
      if (rows.length) matched.push(viewId);
    }
    return matched;
  }

  async function onPresence(payload: string) {
    const { tenantId, ticketId } = JSON.parse(payload) as { tenantId: string; ticketId: string };
    const watchers = [...connections].filter((c) => c.staff && c.principal.tenantId === tenantId && c.tickets.has(ticketId));
    if (watchers.length === 0) return;
    const users = await presenceOf(kernel, tenantId, ticketId);
    for (const c of watchers) send(c, { type: 'presence', ticketId, users });
  }

  await kernel.listener.on(STREAM_CHANNEL, (p) => void onNotice(p).catch((error) => kernel.logger.warn({ err: error }, 'stream notice failed')));
  await kernel.listener.on(PRESENCE_CHANNEL, (p) => void onPresence(p).catch(() => {}));
  // Notices sent while LISTEN was reconnecting are lost: count every subscribed view again.
  kernel.listener.onReconnect(() => viewCounts.recountAll());

  // Keepalive, and expiry of presences whose client vanished (any node may do it; each row once).
  const timer = setInterval(async () => {
    for (const c of connections) {
      if (!c.alive) c.socket.terminate();
      c.alive = false;
      c.socket.ping();
    }
    const expired = await kernel.db.query<{ tenant_id: string; ticket_id: string }>('delete from ticket_presence where expires_at < now() returning tenant_id, ticket_id').catch(() => []);
    for (const e of new Set(expired.map((x) => JSON.stringify({ tenantId: x.tenant_id, ticketId: x.ticket_id })))) {
      await kernel.db.query('select pg_notify(?, ?)', [PRESENCE_CHANNEL, e]).catch(() => {});
    }
  }, 10_000);
  timer.unref();

  return {
    close() {
      clearInterval(timer);
      viewCounts.close();
      for (const c of connections) c.socket.close(1001, 'server shutting down');
      wss.close();
    },
  };
}

/** Authenticates an upgrade: Bearer header, `access_token` query, or the session cookie from our own origin. */
async function accept(kernel: Kernel, req: IncomingMessage, url: URL) {
  const headers: Record<string, string | string[] | undefined> = { ...req.headers };
  const token = url.searchParams.get('access_token');
  if (token && !headers.authorization) headers.authorization = `Bearer ${token}`;
  const cookies = req.headers.cookie ? (parseCookies(req.headers.cookie) as Record<string, string>) : {};
  if (!headers.authorization && cookies.ticketops_session) {
    // Browsers send cookies on cross-site WebSocket handshakes: only our own origin may use them.
    const origin = req.headers.origin;
    const allowed = kernel.config.publicUrl ? new URL(kernel.config.publicUrl).origin : `http://${req.headers.host}`;
    if (origin && origin !== allowed && origin !== `https://${req.headers.host}`) {
      throw new TicketOpsError('forbidden', `Origin ${origin} may not open the stream with a session cookie`);
    }
  }
  const principal = await authenticate(kernel, { method: 'GET', headers, cookies });
  if (!principal) throw new Error('Authentication is required: send a Bearer token, ?access_token=, or the session cookie');
  return principal;
}
