import nodemailer, { type Transporter } from 'nodemailer';
import type { OutboundConfig } from './config.ts';

/**
 * One pooled SMTP transport per process: connections are reused across messages (TLS and AUTH
 * once per connection), at most `maxConnections` at a time. STARTTLS is used whenever the server
 * offers it; `requireTLS` refuses to send without it.
 */
export function createTransport(config: OutboundConfig): Transporter {
  const smtp = config.smtp;
  return nodemailer.createTransport({
    pool: true,
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtp.requireTLS,
    maxConnections: smtp.maxConnections,
    maxMessages: 500,
    auth: smtp.auth ?? undefined,
    tls: { rejectUnauthorized: smtp.rejectUnauthorized },
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
}
