import { type RouteDefinition, TicketOpsError, defineRoute, respond } from '@ticketops/plugin-sdk';
import { newId, sql } from '../db.ts';
import { imapClient } from '../imap/supervisor.ts';
import type { InboundRuntime } from '../part.ts';
import { PERMISSIONS } from '../permissions.ts';

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 80, pattern: '^[A-Za-z0-9_-]+$' } } };
const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max, pattern: '^[^\\r\\n\\u0000]*$' });
const properties = {
  name: text(200),
  address: { type: 'string', format: 'email', maxLength: 320 },
  host: { type: 'string', minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.:\\[\\]-]+$' },
  port: { type: 'integer', minimum: 1, maximum: 65535 },
  secure: { type: 'boolean' },
  username: text(320),
  password: { type: 'string', minLength: 1, maxLength: 1000 },
  folder: text(200),
  moveTo: { anyOf: [text(200), { type: 'null' }] },
  active: { type: 'boolean' },
};

interface MailboxBody {
  name?: string;
  address?: string;
  host?: string;
  port?: number;
  secure?: boolean;
  username?: string;
  password?: string;
  folder?: string;
  moveTo?: string | null;
  active?: boolean;
}

/** A mailbox as the API shows it: never its password. */
const view = (r: Record<string, unknown>) => ({
  id: r.id, name: r.name, address: r.address, host: r.host, port: r.port, secure: r.secure, username: r.username, folder: r.folder, moveTo: r.move_to,
  active: r.active, hasPassword: true, uidValidity: r.uid_validity === null ? null : String(r.uid_validity), lastUid: Number(r.last_uid),
  lastError: r.last_error, lastPolledAt: r.last_polled_at ? new Date(r.last_polled_at as Date).toISOString() : null,
});
const COLUMNS = 'id, name, address, host, port, secure, username, folder, move_to, active, uid_validity, last_uid, last_error, last_polled_at';
const notFound = () => new TicketOpsError('not_found', 'Mailbox was not found', { details: [{ pointer: '/params/id', message: 'was not found' }] });

async function unique<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if ((error as { code?: string }).code === '23505' || /duplicate key/i.test((error as Error).message)) {
      throw new TicketOpsError('conflict', 'A mailbox with this address already exists', { details: [{ pointer: '/body/address', message: 'is already used' }] });
    }
    throw error;
  }
}

/** IMAP mailboxes (`/api/v1/email/mailboxes`): CRUD and a connection test; passwords are write-only. */
export function mailboxRoutes(runtime: () => InboundRuntime): RouteDefinition[] {
  void runtime;
  return [
    defineRoute({
      method: 'get',
      path: '/mailboxes',
      summary: 'IMAP mailboxes of this tenant',
      permission: PERMISSIONS.mailboxesManage,
      async handler({ scope }) {
        return { items: (await sql(scope.em, `select ${COLUMNS} from email_mailbox where tenant_id = ? order by name`, [scope.tenantId])).map(view) };
      },
    }),
    defineRoute<unknown, unknown, Required<Omit<MailboxBody, 'moveTo'>> & { moveTo?: string | null }>({
      method: 'post',
      path: '/mailboxes',
      summary: 'Add an IMAP mailbox (its address also receives direct SMTP delivery)',
      permission: PERMISSIONS.mailboxesManage,
      schema: {
        body: {
          type: 'object', additionalProperties: false, required: ['name', 'address', 'host', 'port', 'username', 'password'],
          properties: { ...properties, secure: { type: 'boolean', default: true }, folder: { ...text(200), default: 'INBOX' }, active: { type: 'boolean', default: true } },
        },
      },
      async handler({ scope, body }) {
        return scope.transactional(async (tx) => {
          const id = newId('emb');
          const rows = await unique(() =>
            sql(
              tx.em,
              `insert into email_mailbox (id, tenant_id, name, address, host, port, secure, username, password, folder, move_to, active)
               values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning ${COLUMNS}`,
              [id, scope.tenantId, body.name, body.address.toLowerCase(), body.host, body.port, body.secure, body.username, body.password, body.folder, body.moveTo ?? null, body.active],
            ),
          );
          await tx.audit({ action: 'email.mailbox.created', targetType: 'email_mailbox', targetId: id, data: { address: body.address, host: body.host } });
          return respond(201, view(rows[0] as Record<string, unknown>), { location: `/api/v1/email/mailboxes/${id}` });
        });
      },
    }),
    defineRoute<{ id: string }>({
      method: 'get',
      path: '/mailboxes/:id',
      summary: 'One IMAP mailbox',
      permission: PERMISSIONS.mailboxesManage,
      schema: { params: idParams },
      async handler({ scope, params }) {
        const row = (await sql(scope.em, `select ${COLUMNS} from email_mailbox where tenant_id = ? and id = ?`, [scope.tenantId, params.id]))[0];
        if (!row) throw notFound();
        return view(row);
      },
    }),
    defineRoute<{ id: string }, unknown, MailboxBody>({
      method: 'patch',
      path: '/mailboxes/:id',
      summary: 'Change an IMAP mailbox (omit the password to keep it)',
      permission: PERMISSIONS.mailboxesManage,
      schema: { params: idParams, body: { type: 'object', additionalProperties: false, minProperties: 1, properties } },
      async handler({ scope, params, body }) {
        const columns: Record<keyof MailboxBody, string> = { name: 'name', address: 'address', host: 'host', port: 'port', secure: 'secure', username: 'username', password: 'password', folder: 'folder', moveTo: 'move_to', active: 'active' };
        const keys = (Object.keys(body) as (keyof MailboxBody)[]).filter((k) => Object.hasOwn(columns, k));
        const values = keys.map((k) => (k === 'address' ? String(body[k]).toLowerCase() : body[k]));
        // A different server or folder is a different UID space: start from its beginning (dedup keeps it to one ingest).
        const resync = keys.some((k) => k === 'host' || k === 'folder' || k === 'username') ? ', uid_validity = null, last_uid = 0' : '';
        return scope.transactional(async (tx) => {
          const rows = await unique(() =>
            sql(tx.em, `update email_mailbox set ${keys.map((k) => `${columns[k]} = ?`).join(', ')}${resync}, updated_at = now() where tenant_id = ? and id = ? returning ${COLUMNS}`, [...values, scope.tenantId, params.id]),
          );
          if (!rows[0]) throw notFound();
          await tx.audit({ action: 'email.mailbox.updated', targetType: 'email_mailbox', targetId: params.id, data: { fields: keys } });
          return view(rows[0]);
        });
      },
    }),
    defineRoute<{ id: string }>({
      method: 'delete',
      path: '/mailboxes/:id',
      summary: 'Remove an IMAP mailbox',
      permission: PERMISSIONS.mailboxesManage,
      schema: { params: idParams },
      async handler({ scope, params }) {
        return scope.transactional(async (tx) => {
          const rows = await sql(tx.em, 'delete from email_mailbox where tenant_id = ? and id = ? returning id', [scope.tenantId, params.id]);
          if (!rows[0]) throw notFound();
          await tx.audit({ action: 'email.mailbox.deleted', targetType: 'email_mailbox', targetId: params.id });
          return respond(204);
        });
      },
    }),
    defineRoute<{ id: string }>({
      method: 'post',
      path: '/mailboxes/:id/test',
      summary: 'Log in to the mailbox and open its folder; reports the error when that fails',
      permission: PERMISSIONS.mailboxesManage,
      schema: { params: idParams },
      async handler({ scope, params }) {
        const row = (await sql<{ host: string; port: number; secure: boolean; username: string; password: string; folder: string }>(
          scope.em, 'select host, port, secure, username, password, folder from email_mailbox where tenant_id = ? and id = ?', [scope.tenantId, params.id],
        ))[0];
        if (!row) throw notFound();
        const client = imapClient(row);
        try {
          await client.connect();
          const status = await client.status(row.folder, { messages: true, uidValidity: true, unseen: true });
          if (!status) return { ok: false, error: `Folder "${row.folder}" cannot be opened` };
          return { ok: true, messages: status.messages ?? null, unseen: status.unseen ?? null, uidValidity: status.uidValidity === undefined ? null : String(status.uidValidity) };
        } catch (error) {
          const e = error as Error & { responseText?: string; authenticationFailed?: boolean };
          return { ok: false, error: e.authenticationFailed ? 'Authentication failed' : (e.responseText ?? e.message).slice(0, 300) };
        } finally {
          await client.logout().catch(() => client.close());
        }
      },
    }),
  ];
}
