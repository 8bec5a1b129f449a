/**
 * Runs lib.ts's `load()` in its own process and prints the result as JSON, so a benchmark that
 * measures a server's latency does not also host the load generator (its allocations and garbage
 * collections would land in the server's event loop and tail latency).
 *
 *   node test/bench/http-load-client.ts <url> <connections> <seconds> [warmupSeconds]
 */
import { load } from './lib.ts';

const [url, connections, seconds, warmupSeconds] = process.argv.slice(2);
const result = await load(url as string, { connections: Number(connections), seconds: Number(seconds), warmupSeconds: Number(warmupSeconds ?? 0) });
process.stdout.write(`${JSON.stringify(result)}\n`);
