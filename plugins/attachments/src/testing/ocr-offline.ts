/**
 * Runs OCR on a PNG made from text, printing what was found — for the test that proves OCR needs
 * no network (run under `unshare -n`, in an empty working directory that must stay empty).
 * Usage: node ocr-offline.ts <word> <word>…
 */
import { ocrEngine } from '../derived/ocr-engine.ts';
import { textImage } from './images.ts';

const engine = ocrEngine({ concurrency: 1 });
try {
  process.stdout.write(await engine.recognize(await textImage(process.argv.slice(2).join(' '))));
} finally {
  await engine.close();
}
