import { parentPort } from 'node:worker_threads';
import PostalMime from 'postal-mime';
import { replyText } from './body.ts';

/**
 * Parses one message per request off the main thread and extracts its reply text. The parent ends
 * this worker when a request runs past its deadline, so a pathological message costs a worker,
 * never the event loop.
 */
interface Request {
  id: number;
  raw: Uint8Array;
  maxNestingDepth: number;
  maxHeadersSize: number;
}

parentPort?.on('message', async (request: Request) => {
  try {
    const email = await PostalMime.parse(request.raw, {
      attachmentEncoding: 'arraybuffer',
      maxNestingDepth: request.maxNestingDepth,
      maxHeadersSize: request.maxHeadersSize,
      maxRfc822NestingDepth: 2,
    });
    const reply = replyText(email.text, email.html);
    const transfer = email.attachments.map((a) => a.content).filter((c): c is ArrayBuffer => c instanceof ArrayBuffer);
    parentPort?.postMessage({ id: request.id, email: { ...email, html: undefined }, reply }, transfer);
  } catch (error) {
    parentPort?.postMessage({ id: request.id, error: (error as Error)?.message ?? String(error) });
  }
});
