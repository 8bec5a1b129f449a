/**
 * A 1 GB attachment upload through `POST /api/v1/attachments`, streamed to disk and to S3
 * (s3rver in a child process), with the RSS growth of the process that runs the server, beside
 * `cp`, a raw S3 single PUT and a raw S3 multipart PUT (lib-storage) of the same bytes in the same run.
 * The client is `curl` (its own process), so the RSS figure is the server's; a small warm-up upload
 * first keeps module loading and JIT out of the figure.
 * Run: node --expose-gc test/bench/attachments-upload.bench.ts   (BENCH_BYTES to change the size)
 *
 * BENCH_ONLY=api-s3 runs only the 1 GiB API → S3 upload, in a fresh process (with and without
 * --expose-gc, run it twice).
 *
 * BENCH_LARGE=1 (with BENCH_BYTES over 5 GiB, e.g. 6442450944) runs instead the check of an object
 * over S3's 5 GiB single-copy limit with S3's real limits: the bytes are streamed into the S3 store
 * (multipart), committed to their content address (UploadPartCopy ranges), then read back and
 * hashed, and a range past 5 GiB is read. Needs about 4 × BENCH_BYTES free under the temp dir.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, createReadStream, mkdtempSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client, Upload } from '../../plugins/attachments/src/testing/sdk.ts';
import { S3Store } from '../../plugins/attachments/src/storage/s3.ts';
import { blobKey } from '../../plugins/attachments/src/storage/store.ts';
import { startTestKernel } from '../../core/src/testing/index.ts';
import { attachmentsPlugin } from '../../plugins/attachments/src/index.ts';
import type { S3Settings } from '../../plugins/attachments/src/config.ts';
import { ROOT, freePort, machine, round, save } from './lib.ts';

const bytes = Number(process.env.BENCH_BYTES ?? 1024 ** 3);
const MB = 1024 * 1024;
const work = mkdtempSync(join(tmpdir(), 'ticketops-bench-attach-'));
const source = join(work, 'source.bin');
const results: Record<string, unknown> = { machine: machine(), bytes };

// Incompressible, not repeated: 1 MiB of random bytes with the block number stamped in.
{
  const fd = openSync(source, 'w');
  const block = randomBytes(MB);
  for (let i = 0; i < Math.ceil(bytes / MB); i++) {
    block.writeUInt32BE(i, 0);
    writeSync(fd, block, 0, Math.min(MB, bytes - i * MB));
  }
  closeSync(fd);
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const warmup = join(work, 'warmup.bin');
execFileSync('head', ['-c', String(8 * MB), source], { stdio: ['ignore', openSync(warmup, 'w'), 'inherit'] });
const rate = (s: number) => round(bytes / MB / s);

type Gc = (options?: { type: 'minor' }) => void;
const gc = (globalThis as { gc?: Gc }).gc;
if (!gc) console.warn('run with node --expose-gc: the RSS baseline needs a collection, and the upload path uses minor collections when available');

/** Runs `work` with `globalThis.gc` hidden, as in a process started without `--expose-gc` (the upload path then triggers no collections). */
async function withoutGc<T>(work: () => Promise<T>): Promise<T> {
  (globalThis as { gc?: Gc }).gc = undefined;
  try {
    return await work();
  } finally {
    (globalThis as { gc?: Gc }).gc = gc;
  }
}

/** Samples this process's RSS every 50 ms while `work` runs. */
async function measured<T>(work: () => Promise<T>): Promise<{ value: T; s: number; rssGrowthMb: number }> {
  gc?.();
  const base = process.memoryUsage.rss();
  let peak = base;
  const timer = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > peak && process.env.BENCH_DEBUG) console.log(process.memoryUsage());
    peak = Math.max(peak, rss);
  }, 50);
  const start = process.hrtime.bigint();
  try {
    const value = await work();
    return { value, s: seconds(start), rssGrowthMb: round((Math.max(peak, process.memoryUsage.rss()) - base) / MB) };
  } finally {
    clearInterval(timer);
  }
}

/** `curl -F` streams the file as a multipart part with a Content-Length, in its own process. */
function post(url: string, token: string, file = source): Promise<void> {
  return new Promise((resolve, reject) => {
    const curl = spawn('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-H', `authorization: Bearer ${token}`, '-F', `file=@${file};filename=big.bin`, `${url}/api/v1/attachments`]);
    let out = '';
    curl.stdout.on('data', (d) => {
      out += d;
    });
    curl.on('error', reject);
    curl.on('close', () => (out === '201' ? resolve() : reject(new Error(`upload answered ${out}`))));
  });
}

/** `count` uploads of distinct 1 MiB files, all in flight at once (fetch, in this process). */
async function concurrent(url: string, token: string, count: number) {
  const times: number[] = [];
  const start = process.hrtime.bigint();
  const statuses = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const body = new FormData();
      const bytes = randomBytes(MB);
      bytes.writeUInt32BE(i, 0);
      body.append('file', new Blob([new Uint8Array(bytes)]), `f${i}.bin`);
      const t0 = process.hrtime.bigint();
      const res = await fetch(`${url}/api/v1/attachments`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
      await res.arrayBuffer();
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      return res.status;
    }),
  );
  const s = seconds(start);
  times.sort((a, b) => a - b);
  const q = (p: number) => round(times[Math.floor((p / 100) * (times.length - 1))] ?? Number.NaN);
  return { count, seconds: round(s), uploadsPerSecond: round(count / s), p50Ms: q(50), p95Ms: q(95), maxMs: q(100), non201: statuses.filter((x) => x !== 201).length };
}

async function throughKernel<T>(storage: Record<string, unknown>, run: (url: string, token: string) => Promise<T>): Promise<T> {
  // Bytes count against the scan-less path: antivirus is off here (clamd is limited to StreamMaxLength).
  const config = { storage, limits: { maxFileBytes: 4 * 1024 * MB, maxTenantBytes: 64 * 1024 * MB }, allow: [] };
  const t = await startTestKernel({ workers: false, plugins: [{ definition: attachmentsPlugin, config }] });
  try {
    const agent = await t.createUser({ role: 'agent' });
    await post(t.url, agent.token, warmup);
    return await run(t.url, agent.token);
  } finally {
    await t.close();
  }
}

let s3rver: ChildProcess | undefined;

/** s3rver (the 20minutes build, as in the tests) in its own process, so its work is not in our RSS. */
async function startS3rver(): Promise<S3Settings> {
  const port = freePort();
  const script = `import S3rver from '@20minutes/s3rver';
    await new S3rver({ address: '127.0.0.1', port: ${port}, silent: true, directory: ${JSON.stringify(join(work, 's3'))}, configureBuckets: [{ name: 'bench' }], allowMismatchedSignatures: true }).run();`;
  s3rver = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  await new Promise((r) => setTimeout(r, 1500));
  return { bucket: 'bench', region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, forcePathStyle: true, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', partSize: 8 * MB };
}

async function sha256Of(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk);
  return hash.digest('hex');
}

/** An object over 5 GiB with S3's real limits, through the S3 store (not HTTP: see the header). */
async function largeObject(settings: S3Settings) {
  const store = new S3Store(settings);
  try {
    const expected = await sha256Of(createReadStream(source, { highWaterMark: MB }));
    const key = blobKey('ten_bench', expected);
    const staging = await measured(async () => {
      const staged = await store.stage(bytes);
      let read = 0;
      for await (const chunk of createReadStream(source, { highWaterMark: 64 * 1024 })) {
        // The same minor-GC hint as the HTTP upload path (receive.ts): frees the consumed read buffers.
        read += (chunk as Buffer).length;
        if (read % (16 * MB) < (chunk as Buffer).length) gc?.({ type: 'minor' });
        await staged.write(chunk as Buffer);
      }
      await staged.finish();
      return staged;
    });
    const commit = await measured(() => store.commit(staging.value, key));
    const stored = await sha256Of(await store.read(key));
    const tailStart = 5 * 1024 * MB + 12345;
    const tail = Buffer.concat(await (await store.read(key, { start: tailStart, end: tailStart + 15 })).toArray());
    const fd = openSync(source, 'r');
    const want = Buffer.alloc(16);
    readSync(fd, want, 0, 16, tailStart);
    closeSync(fd);
    return {
      bytes,
      limits: store.limits,
      streamed: { seconds: round(staging.s), mbPerSecond: rate(staging.s), rssGrowthMb: staging.rssGrowthMb },
      commitByPartCopy: { seconds: round(commit.s), rssGrowthMb: commit.rssGrowthMb },
      sha256Matches: stored === expected,
      rangePast5GiBMatches: tail.equals(want),
    };
  } finally {
    await store.close();
  }
}

try {
  if (process.env.BENCH_ONLY === 'api-s3') {
    // The 1 GiB API → S3 upload alone in a fresh process: in the full run, memory freed by the
    // earlier phases is still mapped and gets reused, which hides growth.
    const settings = await startS3rver();
    const big = (url: string, token: string) => measured(() => post(url, token));
    const s3 = await throughKernel({ driver: 's3', s3: settings }, big);
    results.apiToS3FreshProcess = { seconds: round(s3.s), mbPerSecond: rate(s3.s), rssGrowthMb: s3.rssGrowthMb, gcHints: Boolean(gc) };
    console.log('API → S3 (fresh process)', results.apiToS3FreshProcess);
    save(gc ? 'attachments-upload-s3-fresh' : 'attachments-upload-s3-fresh-no-gc', results);
  } else if (process.env.BENCH_LARGE) {
    const settings = await startS3rver();
    results.largeObject = await largeObject(settings);
    console.log('object over 5 GiB', results.largeObject);
    save('attachments-upload-large', results);
  } else {
    await main();
  }
} finally {
  s3rver?.kill();
  rmSync(work, { recursive: true, force: true });
}
process.exit(0);

async function main() {
  const cpTarget = join(work, 'copy.bin');
  const cp = await measured(async () => execFileSync('cp', [source, cpTarget]));
  rmSync(cpTarget);
  results.cp = { seconds: round(cp.s), mbPerSecond: rate(cp.s) };
  console.log('cp', results.cp);

  const big = (url: string, token: string) => measured(() => post(url, token));
  const many = (url: string, token: string) => concurrent(url, token, Number(process.env.BENCH_CONCURRENT ?? 200));
  const disk = await throughKernel({ driver: 'disk', dir: join(work, 'disk') }, big);
  results.apiToDisk = { seconds: round(disk.s), mbPerSecond: rate(disk.s), rssGrowthMb: disk.rssGrowthMb, gcHints: Boolean(gc) };
  console.log('API → disk', results.apiToDisk);
  rmSync(join(work, 'disk'), { recursive: true, force: true });
  const diskNoGc = await withoutGc(() => throughKernel({ driver: 'disk', dir: join(work, 'disk') }, big));
  results.apiToDiskWithoutGcHints = { seconds: round(diskNoGc.s), mbPerSecond: rate(diskNoGc.s), rssGrowthMb: diskNoGc.rssGrowthMb };
  console.log('API → disk, no GC hints', results.apiToDiskWithoutGcHints);
  rmSync(join(work, 'disk'), { recursive: true, force: true });

  const settings = await startS3rver();
  // The raw baselines use the store's checksum setting, so they differ from the API path only in what it adds.
  const client = new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const rawPut = await measured(() => client.send(new PutObjectCommand({ Bucket: 'bench', Key: 'raw-put.bin', Body: createReadStream(source), ContentLength: bytes })));
  results.rawS3SinglePut = { seconds: round(rawPut.s), mbPerSecond: rate(rawPut.s), rssGrowthMb: rawPut.rssGrowthMb };
  console.log('raw S3 single PUT', results.rawS3SinglePut);
  const raw = await measured(() => new Upload({ client, params: { Bucket: 'bench', Key: 'raw.bin', Body: createReadStream(source) }, queueSize: 2, partSize: 8 * MB }).done());
  results.rawS3Put = { seconds: round(raw.s), mbPerSecond: rate(raw.s), rssGrowthMb: raw.rssGrowthMb };
  console.log('raw S3 multipart PUT (lib-storage)', results.rawS3Put);
  client.destroy();

  const s3 = await throughKernel({ driver: 's3', s3: settings }, big);
  results.apiToS3 = { seconds: round(s3.s), mbPerSecond: rate(s3.s), rssGrowthMb: s3.rssGrowthMb, gcHints: Boolean(gc), note: 'includes the server-side copy from the temporary key to the content address' };
  console.log('API → S3', results.apiToS3);
  const s3NoGc = await withoutGc(() => throughKernel({ driver: 's3', s3: settings }, big));
  results.apiToS3WithoutGcHints = { seconds: round(s3NoGc.s), mbPerSecond: rate(s3NoGc.s), rssGrowthMb: s3NoGc.rssGrowthMb };
  console.log('API → S3, no GC hints', results.apiToS3WithoutGcHints);
  // Last: the client's 200 MiB of request bodies would inflate the RSS baseline of later measurements.
  rmSync(join(work, 'disk'), { recursive: true, force: true });
  results.concurrent1MiBToDisk = await throughKernel({ driver: 'disk', dir: join(work, 'disk') }, many);
  console.log('200 × 1 MiB → disk', results.concurrent1MiBToDisk);
  results.concurrent1MiBToS3 = await throughKernel({ driver: 's3', s3: settings }, many);
  console.log('200 × 1 MiB → S3', results.concurrent1MiBToS3);
  results.sourceBytes = statSync(source).size;
  save('attachments-upload', results);
}
