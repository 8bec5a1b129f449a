/**
 * A worker process for the kill-safety test: boots a kernel on the test's database (joining it,
 * not emptying it) with the IMAP poller on, says "ready", and runs until it is killed.
 */
import { startTestKernel } from '@ticketops/core/testing';
import { emailPlugin } from '../../index.ts';

await startTestKernel({
  join: true,
  workers: false,
  plugins: [
    {
      definition: emailPlugin,
      config: { inbound: { enabled: true, smtp: { enabled: false }, imap: { enabled: true, pollSeconds: 1, leaseSeconds: 2 }, rateLimit: { perSenderPerHour: 100_000 } } },
    },
  ],
});
process.stdout.write('ready\n');
setInterval(() => {}, 60_000);
