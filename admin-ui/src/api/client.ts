import type { Me, SessionInfo } from './types.ts';

/** An RFC 9457 problem answered by the API, or a network failure (`status` 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: { pointer: string; message: string }[];

  constructor(status: number, code: string, message: string, errors: { pointer: string; message: string }[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.errors = errors;
  }
}

export type Query = Record<string, string | number | boolean | string[] | undefined | null>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  status: number;
  data: T;
  headers: Headers;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Answers that mean "sign in first" only for these; elsewhere a 401 ends the session. */
const AUTH_PATHS = new Set(['/auth/login', '/auth/session']);

export function toSearch(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) params.set(key, value.join(','));
    } else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The console's only way to the server: the public REST API under `/api/v1`, authenticated by the
 * HttpOnly session cookie, with the session's CSRF token echoed in `X-CSRF-Token` on unsafe
 * methods. A 401 tells `onSessionEnded` (the shell shows the sign-in form again); a 403 on an
 * unsafe method re-reads the CSRF token once, in case another tab signed in again meanwhile.
 */
export class ApiClient {
  readonly base: string;
  #csrfToken: string | null = null;
  onSessionEnded: (reason: string) => void = () => {};

  constructor(base = '/api/v1') {
    this.base = base;
  }

  get signedIn(): boolean {
    return this.#csrfToken !== null;
  }

  async login(email: string, password: string): Promise<Me> {
    const { data } = await this.request<SessionInfo>('POST', '/auth/login', { body: { email, password } });
    this.#csrfToken = data.csrfToken;
    return this.me();
  }

  /** The session of a reloaded page, or null when there is none (the sign-in form then). */
  async resume(): Promise<Me | null> {
    try {
      const { data } = await this.request<SessionInfo>('GET', '/auth/session');
      this.#csrfToken = data.csrfToken;
      return await this.me();
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 404)) return null;
      throw error;
    }
  }

  async logout(): Promise<void> {
    try {
      await this.request('POST', '/auth/logout');
    } finally {
      this.#csrfToken = null;
    }
  }

  async me(): Promise<Me> {
    return (await this.request<Me>('GET', '/me')).data;
  }

  async get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return (await this.request<T>('GET', path, { query, signal })).data;
  }

  async post<T>(path: string, body?: unknown): Promise<T> {
    return (await this.request<T>('POST', path, { body })).data;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}, retried = false): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (UNSAFE.has(method) && this.#csrfToken) headers['x-csrf-token'] = this.#csrfToken;
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}${toSearch(options.query)}`, {
        method,
        headers,
        credentials: 'same-origin',
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new ApiError(0, 'network', (error as Error).message);
    }
    const text = await response.text();
    let data: any;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = text;
    }
    if (response.ok) return { status: response.status, data: data as T, headers: response.headers };
    const problem = (data && typeof data === 'object' ? data : {}) as { code?: string; detail?: string; title?: string; errors?: { pointer: string; message: string }[] };
    const error = new ApiError(response.status, problem.code ?? 'unknown', problem.detail ?? problem.title ?? response.statusText, problem.errors);
    if (response.status === 401 && !AUTH_PATHS.has(path)) {
      this.#csrfToken = null;
      this.onSessionEnded(error.message);
    }
    if (response.status === 403 && UNSAFE.has(method) && !retried && /csrf/i.test(error.message)) {
      const fresh = await this.request<SessionInfo>('GET', '/auth/session').catch(() => null);
      if (fresh && fresh.data.csrfToken !== this.#csrfToken) {
        this.#csrfToken = fresh.data.csrfToken;
        return this.request<T>(method, path, options, true);
      }
    }
    throw error;
  }
}
