import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { type Worker, createWorker } from 'tesseract.js';
import { MAX_INPUT_PIXELS } from './thumbnails.ts';

const require = createRequire(import.meta.url);

/**
 * The English LSTM model shipped in `@tesseract.js-data/eng` (installed from npm). tesseract.js
 * reads a local `langPath` from disk; without it, it would fetch from a CDN at run time.
 */
export const ENG_LANG_PATH = join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');

/** Longest side given to tesseract: larger images take long and gain little. */
const MAX_SIDE = 3000;

export interface OcrEngine {
  /** Text found in a raster image (any format sharp reads; decoded once, pixel-limited). */
  recognize(image: Buffer): Promise<string>;
  close(): Promise<void>;
}

/**
 * A pool of at most `concurrency` tesseract.js workers (each a worker thread with its own WASM
 * engine), made on first use and ended after `idleMs` without work, so an idle server holds none.
 */
export function ocrEngine(options: { concurrency: number; idleMs?: number }): OcrEngine {
  const idle: Worker[] = [];
  const waiting: ((worker: Worker) => void)[] = [];
  let started = 0;
  let timer: NodeJS.Timeout | null = null;

  const make = () =>
    createWorker('eng', 1 /* LSTM only */, {
      langPath: ENG_LANG_PATH,
      gzip: true,
      // Never write eng.traineddata into the working directory (the default cache).
      cacheMethod: 'none',
    });

  async function acquire(): Promise<Worker> {
    if (timer) clearTimeout(timer);
    timer = null;
    const ready = idle.pop();
    if (ready) return ready;
    if (started < options.concurrency) {
      started++;
      return make().catch((error) => {
        started--;
        throw error;
      });
    }
    return new Promise((resolve) => waiting.push(resolve));
  }

  function release(worker: Worker): void {
    const next = waiting.shift();
    if (next) {
      next(worker);
      return;
    }
    idle.push(worker);
    if (idle.length === started && !timer) {
      timer = setTimeout(() => void close(), options.idleMs ?? 60_000);
      timer.unref();
    }
  }

  async function close(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    const all = idle.splice(0);
    started -= all.length;
    await Promise.all(all.map((w) => w.terminate().catch(() => undefined)));
  }

  return {
    async recognize(image) {
      // Decoded by sharp with the same pixel limit as thumbnails (a bomb fails here), greyscale PNG for tesseract.
      const png = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', animated: false, autoOrient: true })
        .resize(MAX_SIDE, MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
        .greyscale()
        .png()
        .toBuffer();
      const worker = await acquire();
      try {
        const { data } = await worker.recognize(png);
        return data.text;
      } finally {
        release(worker);
      }
    },
    close,
  };
}
