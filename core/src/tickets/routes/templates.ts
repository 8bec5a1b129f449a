import { type RouteDefinition, type Scope, conflict, defineRoute, hasPermission, notFound, respond } from '@ticketops/plugin-sdk';
import type { Kernel } from '../../kernel/kernel.ts';
import { newId } from '../../kernel-data/ids.ts';
import { sql } from '../sql.ts';
import { checkTemplate, render } from '../templates/render.ts';
import { type CreateTicketRequest, createTicket } from '../ticket-service.ts';
import { seesAllTickets } from '../visibility.ts';
import { ticketSchema } from './schemas.ts';

interface TemplateFields {
  title?: string;
  description?: string;
  priority?: string;
  status?: string;
  type?: string | null;
  tags?: string[];
  customFields?: Record<string, unknown>;
  groupId?: string | null;
}

const fieldsSchema = {
  type: 'object', additionalProperties: false,
  properties: {
    title: { type: 'string', maxLength: 20_000 }, description: { type: 'string', maxLength: 20_000 }, priority: { type: 'string', maxLength: 50 }, status: { type: 'string', maxLength: 50 },
    type: { type: ['string', 'null'], maxLength: 100 }, tags: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 50 } },
    customFields: { type: 'object', maxProperties: 200 }, groupId: { type: ['string', 'null'], maxLength: 40 },
  },
};
const params = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^tpl_[a-z0-9]+$' } } };
const view = (r: Record<string, any>) => ({ id: r.id, name: r.name, description: r.description, fields: typeof r.fields === 'string' ? JSON.parse(r.fields) : r.fields, visibleToCustomers: r.visible_to_customers });

function checkFields(fields: TemplateFields): void {
  if (fields.title !== undefined) checkTemplate(fields.title, '/body/fields/title');
  if (fields.description !== undefined) checkTemplate(fields.description, '/body/fields/description');
}

async function load(scope: Scope, id: string) {
  const [row] = await sql(scope.em, 'select * from ticket_template where tenant_id = ? and id = ?', [scope.tenantId, id]);
  if (!row || (!row.visible_to_customers && !hasPermission(scope.actor, 'templates.read'))) throw notFound('Template');
  return row;
}

/** The plain data placeholders see: requester, agent (the actor), values, today. */
async function renderFields(scope: Scope, fields: TemplateFields, values: Record<string, unknown>, requesterId?: string) {
  const people = await sql<{ id: string; name: string; email: string }>(scope.em, 'select id, name, email from app_user where tenant_id = ? and id = any(?::text[])', [
    scope.tenantId, `{${[scope.actor.userId, requesterId].filter(Boolean).join(',')}}`,
  ]);
  const person = (id: string | null | undefined) => {
    const p = people.find((x) => x.id === id);
    return p ? { name: p.name, email: p.email } : null;
  };
  const data = { requester: person(requesterId ?? scope.actor.userId), agent: seesAllTickets(scope.actor) ? person(scope.actor.userId) : null, values, today: new Date().toISOString().slice(0, 10) };
  return {
    ...fields,
    ...(fields.title !== undefined ? { title: render(fields.title, data).trim() } : {}),
    ...(fields.description !== undefined ? { description: render(fields.description, data) } : {}),
  };
}

const valuesSchema = { type: 'object', maxProperties: 50, additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } };

export const templateRoutes = (kernel: Kernel): RouteDefinition[] => [
  defineRoute({
    method: 'get', path: '/templates', summary: 'Ticket templates (customers: those visible to them)', tags: ['templates'], permission: 'tickets.create',
    async handler({ scope }) {
      const staff = hasPermission(scope.actor, 'templates.read');
      const rows = await sql(scope.em, `select * from ticket_template where tenant_id = ?${staff ? '' : ' and visible_to_customers'} order by name`, [scope.tenantId]);
      return { items: rows.map(view), nextCursor: null };
    },
  }),
  defineRoute<unknown, unknown, { name: string; description?: string; fields: TemplateFields; visibleToCustomers?: boolean }>({
    method: 'post', path: '/templates', summary: 'Create a template; placeholders are checked now', tags: ['templates'], permission: 'templates.write',
    description: 'Title and description are Handlebars templates over plain data: `{{requester.name}}`, `{{agent.name}}`, `{{values.x}}`, `{{today}}`, helpers `upper`, `lower`, `date`. No other helpers, no prototype access.',
    schema: { body: { type: 'object', additionalProperties: false, required: ['name', 'fields'], properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, description: { type: 'string', maxLength: 1000 }, fields: fieldsSchema, visibleToCustomers: { type: 'boolean' } } } },
    async handler({ scope, body }) {
      checkFields(body.fields);
      if ((await sql(scope.em, 'select 1 from ticket_template where tenant_id = ? and name = ?', [scope.tenantId, body.name])).length) throw conflict(`A template named "${body.name}" exists`);
      const [row] = await sql(scope.em, 'insert into ticket_template (id, tenant_id, name, description, fields, visible_to_customers) values (?, ?, ?, ?, ?::jsonb, ?) returning *', [
        newId('tpl'), scope.tenantId, body.name, body.description ?? '', JSON.stringify(body.fields), body.visibleToCustomers ?? false,
      ]);
      return respond(201, view(row as Record<string, unknown>));
    },
  }),
  defineRoute<{ id: string }, unknown, { name?: string; description?: string; fields?: TemplateFields; visibleToCustomers?: boolean }>({
    method: 'patch', path: '/templates/:id', summary: 'Change a template', tags: ['templates'], permission: 'templates.write',
    schema: { params, body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, description: { type: 'string', maxLength: 1000 }, fields: fieldsSchema, visibleToCustomers: { type: 'boolean' } } } },
    async handler({ scope, params: p, body }) {
      const current = view(await load(scope, p.id));
      if (body.fields) checkFields(body.fields);
      const next = { ...current, ...body };
      await sql(scope.em, 'update ticket_template set name = ?, description = ?, fields = ?::jsonb, visible_to_customers = ?, updated_at = now() where id = ?', [next.name, next.description, JSON.stringify(next.fields), next.visibleToCustomers, p.id]);
      return next;
    },
  }),
  defineRoute<{ id: string }>({
    method: 'delete', path: '/templates/:id', summary: 'Delete a template', tags: ['templates'], permission: 'templates.write', schema: { params },
    async handler({ scope, params: p }) {
      await load(scope, p.id);
      await sql(scope.em, 'delete from ticket_template where id = ?', [p.id]);
      return respond(204);
    },
  }),
  defineRoute<{ id: string }, unknown, { values?: Record<string, unknown>; requesterId?: string }>({
    method: 'post', path: '/templates/:id/render', summary: 'Preview a template with values', tags: ['templates'], permission: 'tickets.create',
    schema: { params, body: { type: 'object', additionalProperties: false, properties: { values: valuesSchema, requesterId: { type: 'string', maxLength: 40 } } } },
    async handler({ scope, params: p, body }) {
      return renderFields(scope, view(await load(scope, p.id)).fields, body.values ?? {}, body.requesterId);
    },
  }),
  defineRoute<unknown, unknown, { templateId: string; values?: Record<string, unknown>; overrides?: Partial<CreateTicketRequest> }>({
    method: 'post', path: '/tickets/from-template', summary: 'Open a ticket from a template (validated like any ticket)', tags: ['templates', 'tickets'], permission: 'tickets.create',
    schema: {
      body: { type: 'object', additionalProperties: false, required: ['templateId'], properties: { templateId: { type: 'string', pattern: '^tpl_[a-z0-9]+$' }, values: valuesSchema, overrides: { type: 'object', maxProperties: 20 } } },
      response: { 201: ticketSchema },
    },
    async handler({ scope, body }) {
      const template = view(await load(scope, body.templateId));
      const requester = typeof body.overrides?.requester === 'string' ? body.overrides.requester : undefined;
      const fields = await renderFields(scope, template.fields, body.values ?? {}, requester);
      const request = { ...fields, ...body.overrides, title: body.overrides?.title ?? fields.title ?? template.name } as CreateTicketRequest;
      if (!seesAllTickets(scope.actor)) {
        // Customers get the template's text; staff-only fields stay as the help desk's defaults.
        delete request.priority;
        delete request.status;
        delete request.groupId;
      }
      const ticket = await createTicket(scope, kernel.hooks, request);
      return respond(201, ticket, { Location: `/api/v1/tickets/${ticket.id}` });
    },
  }),
];
