import { createServer, type Server } from 'node:http';
import type { Kernel } from '../kernel/kernel.ts';
import { attachStream } from '../realtime/stream.ts';
import { createApp } from './app.ts';

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Starts listening; `close` stops accepting, lets in-flight requests finish, then drops idle sockets. */
export async function listen(kernel: Kernel, port = kernel.config.port, host = kernel.config.host): Promise<RunningServer> {
  const app = createApp(kernel);
  // The whole request may take long (a large upload); slow JSON bodies and stalled streams are cut
  // per route kind (http/body-deadlines.ts), headers must come within 15 s.
  const server = createServer({ requestTimeout: kernel.config.requestTimeoutSeconds * 1000, headersTimeout: 15_000, keepAliveTimeout: 5_000 }, app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const stream = await attachStream(server, kernel);
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    server,
    url: `http://${shownHost}:${actualPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        stream.close();
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 10_000).unref();
      }),
  };
}
