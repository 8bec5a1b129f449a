/**
 * One file's upload to `POST /api/v1/attachments?owner=knowledge-base.article:<id>`, with
 * progress. XMLHttpRequest because its `upload.onprogress` reports bytes sent over HTTP/1.1 in
 * Chromium (a streamed fetch body needs HTTP/2), as the attachments plugin's composer does; its
 * helper is not exported and has no owner, so this is the small version of it.
 */
import { type ApiClient, ApiError } from '@ticketops/admin-ui/plugin-api';
import type { FileInfo } from './api.ts';

export function uploadToArticle(api: ApiClient, articleId: string, file: File, onProgress: (percent: number) => void): Promise<FileInfo> {
  const send = (token: string) =>
    new Promise<FileInfo>((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open('POST', `${api.base}/attachments?owner=${encodeURIComponent(`knowledge-base.article:${articleId}`)}`);
      request.setRequestHeader('x-csrf-token', token);
      request.setRequestHeader('accept', 'application/json');
      request.responseType = 'json';
      request.upload.onprogress = (event) => onProgress(event.lengthComputable && event.total ? Math.round((event.loaded / event.total) * 100) : 0);
      request.onload = () => {
        if (request.status === 201) return resolve(request.response as FileInfo);
        const problem = (request.response ?? {}) as { code?: string; detail?: string; title?: string; errors?: { pointer: string; message: string }[] };
        reject(new ApiError(request.status, problem.code ?? 'unknown', problem.detail ?? problem.title ?? request.statusText, problem.errors));
      };
      request.onerror = () => reject(new ApiError(0, 'network', 'the connection failed'));
      const form = new FormData();
      form.append('file', file, file.name);
      request.send(form);
    });
  return api.get<{ csrfToken: string }>('/auth/session').then((session) => send(session.csrfToken));
}
