import ivm from 'isolated-vm';
import { SCRIPT_FILENAME } from './isolate-runner.ts';

/** Compiled modules are never collected: the isolate is replaced once they fill half its heap. */
const MEMORY_MB = 16;

/**
 * Compiles a script as the ES module its author wrote, in an isolate kept for that only: V8's own
 * syntax errors (with line and column) and the module's imports. Nothing is run here; the checked
 * source then runs as a classic script (classic-script.ts). Compiles run on isolated-vm's threads,
 * one at a time, so a long source does not hold up the worker's thread.
 */
export class ModuleChecker {
  #isolate: ivm.Isolate | undefined;
  #pending = 0;

  /** Rejects with V8's SyntaxError (`Unexpected token ';' [script.js:2:13]`); resolves to the static import specifiers. */
  async imports(source: string): Promise<string[]> {
    if (!this.#isolate || this.#isolate.isDisposed) this.#isolate = new ivm.Isolate({ memoryLimit: MEMORY_MB });
    const isolate = this.#isolate;
    this.#pending++;
    try {
      const module = await isolate.compileModule(source, { filename: SCRIPT_FILENAME });
      const imports = module.dependencySpecifiers;
      module.release();
      return imports;
    } finally {
      this.#pending--;
      if (this.#pending === 0 && !isolate.isDisposed && isolate.getHeapStatisticsSync().used_heap_size > (MEMORY_MB * 1024 * 1024) / 2) isolate.dispose();
    }
  }
}
