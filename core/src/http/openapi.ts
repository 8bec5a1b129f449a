import { OpenApiBuilder, type OperationObject, type ParameterObject, type PathItemObject, type SchemaObject } from 'openapi3-ts/oas31';
import { KERNEL_VERSION } from '../plugins/loader.ts';
import type { MountedRoute } from './routes.ts';

const problemRef = { $ref: '#/components/schemas/Problem' };
const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: problemRef } } });

/** OpenAPI 3.1 built from the same route registry the validators are compiled from. */
export function buildOpenApi(routes: MountedRoute[]) {
  const builder = OpenApiBuilder.create({
    openapi: '3.1.0',
    info: { title: 'TicketOps API', version: KERNEL_VERSION, description: 'Help desk and ITSM kernel API. Errors are RFC 9457 problem documents.' },
    servers: [{ url: '/' }],
    paths: {},
  });
  builder.addSecurityScheme('bearerAuth', { type: 'http', scheme: 'bearer', description: 'API token (`tko_…`)' });
  builder.addSecurityScheme('sessionCookie', { type: 'apiKey', in: 'cookie', name: 'ticketops_session', description: 'Console session; unsafe methods also need the X-CSRF-Token header' });
  builder.addSchema('Problem', {
    type: 'object',
    required: ['type', 'title', 'status', 'code'],
    properties: {
      type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' },
      code: { type: 'string' }, instance: { type: 'string' },
      errors: { type: 'array', items: { type: 'object', required: ['pointer', 'message'], properties: { pointer: { type: 'string' }, message: { type: 'string' } } } },
    },
  });

  const paths: Record<string, PathItemObject> = {};
  for (const { owner, path, route } of routes) {
    const oasPath = path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const parameters = [
      ...objectParams(route.schema?.params, 'path', path),
      ...objectParams(route.schema?.query, 'query', path),
    ];
    const responses: OperationObject['responses'] = {};
    for (const [status, schema] of Object.entries(route.schema?.response ?? { 200: {} })) {
      responses[status] = status === '204' ? { description: 'No content' } : { description: 'Success', content: { 'application/json': { schema } } };
    }
    if (route.schema?.body || route.schema?.params || route.schema?.query) responses['400'] = problemResponse('Invalid input');
    if (route.permission !== 'public') {
      responses['401'] = problemResponse('Authentication required');
      if (route.permission !== null) responses['403'] = problemResponse('Missing permission');
    }
    const operation: OperationObject = {
      operationId: `${route.method}${oasPath.replace(/[{}]/g, '').split(/[/-]/).filter(Boolean).map((s) => s[0]?.toUpperCase() + s.slice(1)).join('')}`,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: route.tags ?? [owner === 'kernel' ? 'kernel' : owner],
      ...(parameters.length ? { parameters } : {}),
      ...(route.schema?.body ? { requestBody: { required: true, content: { 'application/json': { schema: route.schema.body } } } } : {}),
      ...(route.rawBody && route.schema?.rawBody
        ? { requestBody: { required: true, content: Object.fromEntries(Object.entries(route.schema.rawBody).map(([type, schema]) => [type, { schema }])) } }
        : {}),
      responses,
      ...(route.permission === 'public' ? { security: [] } : { security: [{ bearerAuth: [] }, { sessionCookie: [] }] }),
      ...(route.permission && route.permission !== 'public' ? { 'x-permission': route.permission } : {}),
    };
    paths[oasPath] = { ...paths[oasPath], [route.method]: operation };
  }
  for (const [path, item] of Object.entries(paths)) builder.addPath(path, item);
  for (const [path, summary] of [['/healthz', 'Liveness: the process answers'], ['/readyz', 'Readiness: database reachable and migrations applied']] as const) {
    builder.addPath(path, { get: { operationId: path.slice(1), summary, tags: ['operations'], security: [], responses: { 200: { description: 'OK' }, 503: problemResponse('Not ready') } } });
  }
  builder.addPath('/metrics', { get: { operationId: 'metrics', summary: 'Prometheus metrics', tags: ['operations'], security: [], responses: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } } } } });
  return builder.getSpec();
}

function objectParams(schema: Record<string, any> | undefined, where: 'path' | 'query', path: string): ParameterObject[] {
  if (!schema?.properties) return [];
  const required = new Set<string>(schema.required ?? []);
  return Object.entries(schema.properties as Record<string, object>)
    .filter(([name]) => where === 'query' || path.includes(`:${name}`))
    .map(([name, s]) => ({ name, in: where, required: where === 'path' || required.has(name), schema: s as SchemaObject }));
}
