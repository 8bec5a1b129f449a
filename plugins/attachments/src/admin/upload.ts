/**
 * One file's upload to `POST /api/v1/attachments` (no ticket yet: the uploader's own upload,
 * linked to the message once it is sent). XMLHttpRequest, because its `upload.onprogress` reports
 * the bytes sent in Chromium over HTTP/1.1, where a fetch with a streamed request body is refused
 * (Chromium streams request bodies only over HTTP/2). The session cookie goes along (same origin);
 * the CSRF token is the session's, read from `GET /auth/session`.
 */
import { type ApiClient, ApiError } from '@ticketops/admin-ui/plugin-api';
import type { Attachment } from './files.ts';

const tokens = new WeakMap<ApiClient, Promise<string>>();

function csrfToken(api: ApiClient, fresh = false): Promise<string> {
  let pending = fresh ? undefined : tokens.get(api);
  if (!pending) {
    pending = api.get<{ csrfToken: string }>('/auth/session').then((session) => session.csrfToken);
    pending.catch(() => tokens.delete(api));
    tokens.set(api, pending);
  }
  return pending;
}

export interface UploadHandle {
  /** The attachment, or an `ApiError` (status 0: the connection failed; `aborted`: cancelled). */
  done: Promise<Attachment>;
  cancel(): void;
}

export function upload(api: ApiClient, file: File, onProgress: (loaded: number, total: number) => void): UploadHandle {
  let xhr: XMLHttpRequest | null = null;
  let cancelled = false;
  const send = (token: string) =>
    new Promise<Attachment>((resolve, reject) => {
      if (cancelled) return reject(new ApiError(0, 'aborted', 'aborted'));
      const request = new XMLHttpRequest();
      xhr = request;
      request.open('POST', `${api.base}/attachments`);
      request.setRequestHeader('x-csrf-token', token);
      request.setRequestHeader('accept', 'application/json');
      request.responseType = 'json';
      request.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : event.loaded);
      request.onload = () => {
        if (request.status === 201) {
          resolve(request.response as Attachment);
          return;
        }
        const problem = (request.response ?? {}) as { code?: string; detail?: string; title?: string; errors?: { pointer: string; message: string }[] };
        reject(new ApiError(request.status, problem.code ?? 'unknown', problem.detail ?? problem.title ?? request.statusText, problem.errors));
      };
      request.onerror = () => reject(new ApiError(0, 'network', 'network'));
      request.onabort = () => reject(new ApiError(0, 'aborted', 'aborted'));
      const form = new FormData();
      form.append('file', file, file.name);
      request.send(form);
    });
  const done = (async () => {
    try {
      return await send(await csrfToken(api));
    } catch (error) {
      if (cancelled || !(error instanceof ApiError)) throw error;
      // Another tab signed in again: the token changed. Read it once more and try again.
      if (error.status === 403 && /csrf/i.test(error.message)) return send(await csrfToken(api, true));
      // The session ended: asking the API through the console's client brings the sign-in form.
      if (error.status === 401) void api.me().catch(() => {});
      throw error;
    }
  })();
  return {
    done,
    cancel() {
      cancelled = true;
      xhr?.abort();
    },
  };
}
