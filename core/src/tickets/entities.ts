import { defineEntity, p } from '@mikro-orm/core';

/** Ticket-domain tables (kernel-data/migrations.ts, 0002-tickets). All tenant-owned. */

export const Organization = defineEntity({
  name: 'Organization',
  tableName: 'organization',
  properties: {
    id: p.string().primary(),
    tenantId: p.string(),
    name: p.string(),
    domains: p.array(),
    notes: p.string().default(''),
    sharedTickets: p.boolean().default(false),
    customFields: p.json<Record<string, unknown>>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export const AgentGroup = defineEntity({
  name: 'AgentGroup',
  tableName: 'agent_group',
  properties: {
    id: p.string().primary(),
    tenantId: p.string(),
    name: p.string(),
    description: p.string().default(''),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export const TicketStatus = defineEntity({
  name: 'TicketStatus',
  tableName: 'ticket_status',
  properties: {
    id: p.string().primary(),
    tenantId: p.string(),
    name: p.string(),
    category: p.string(),
    position: p.integer().default(0),
    active: p.boolean().default(true),
  },
});

export const TicketPriority = defineEntity({
  name: 'TicketPriority',
  tableName: 'ticket_priority',
  properties: {
    id: p.string().primary(),
    tenantId: p.string(),
    name: p.string(),
    position: p.integer().default(0),
    active: p.boolean().default(true),
  },
});

export const TicketType = defineEntity({
  name: 'TicketType',
  tableName: 'ticket_type',
  properties: {
    id: p.string().primary(),
    tenantId: p.string(),
    name: p.string(),
    description: p.string().default(''),
    fieldsSchema: p.json<Record<string, unknown>>(),
    active: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export const Ticket = defineEntity({
  name: 'Ticket',
  tableName: 'ticket',
  properties: {
    id: p.string().primary(),
    tenantId: p.string(),
    number: p.bigint('number'),
    title: p.string(),
    description: p.text().default(''),
    status: p.string(),
    statusCategory: p.string(),
    priority: p.string(),
    type: p.string().nullable(),
    requesterId: p.string().nullable(),
    organizationId: p.string().nullable(),
    assigneeId: p.string().nullable(),
    groupId: p.string().nullable(),
    tags: p.array(),
    channel: p.string().default('api'),
    customFields: p.json<Record<string, unknown>>(),
    mergedIntoId: p.string().nullable(),
    version: p.integer().default(1),
    deletedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()),
    firstResponseAt: p.datetime().nullable(),
    solvedAt: p.datetime().nullable(),
    closedAt: p.datetime().nullable(),
  },
});

export const Comment = defineEntity({
  name: 'Comment',
  tableName: 'comment',
  properties: {
    id: p.string().primary(),
    tenantId: p.string(),
    ticketId: p.string(),
    authorId: p.string().nullable(),
    body: p.text(),
    internal: p.boolean().default(false),
    channel: p.string().default('api'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export const TicketHistory = defineEntity({
  name: 'TicketHistory',
  tableName: 'ticket_history',
  properties: {
    id: p.string().primary(),
    tenantId: p.string(),
    ticketId: p.string(),
    actorId: p.string().nullable(),
    channel: p.string().default('api'),
    via: p.string().nullable(),
    field: p.string(),
    oldValue: p.json<unknown>().nullable(),
    newValue: p.json<unknown>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export const ticketEntities = [Organization, AgentGroup, TicketStatus, TicketPriority, TicketType, Ticket, Comment, TicketHistory];
