/**
 * The shapes the console reads from the REST API (see /api/v1/openapi.json). Written by hand for
 * the few resources the console uses so far; a client generated from the OpenAPI document can
 * replace them as the console grows.
 */
export interface Me {
  id: string;
  email: string;
  name: string;
  role: string;
  tenantId?: string;
  permissions: string[];
}

export interface SessionInfo {
  userId: string;
  csrfToken: string;
  expiresAt: string;
}

export type StatusCategory = 'new' | 'open' | 'pending' | 'on-hold' | 'solved' | 'closed';

export interface Ticket {
  id: string;
  number: number;
  title: string;
  description?: string;
  status: string;
  statusCategory: StatusCategory;
  priority: string;
  type?: string | null;
  requesterId?: string | null;
  assigneeId?: string | null;
  groupId?: string | null;
  tags?: string[];
  version: number;
  createdAt?: string;
  updatedAt?: string;
  /** With `q`: the hits in `<mark>`, everything else HTML-escaped by the server. */
  snippet?: string;
}

export interface Comment {
  id: string;
  ticketId: string;
  authorId: string | null;
  body: string;
  internal: boolean;
  channel?: string;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

export interface ViewCount {
  id: string;
  name: string;
  count: number;
}

export interface SavedView {
  id: string;
  name: string;
  shared: boolean;
  sort: string;
  filter: Record<string, unknown>;
}

export interface Status {
  name: string;
  category: StatusCategory;
  position: number;
  active: boolean;
}

export interface Priority {
  name: string;
  position: number;
  active: boolean;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: string;
  active: boolean;
}

export interface BulkAnswer {
  summary?: Record<string, number>;
  results?: { id: string; outcome: string; problem?: { detail?: string } }[];
  jobId?: string;
  total?: number;
  state?: string;
}
