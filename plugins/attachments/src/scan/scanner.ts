/** One file's scan, fed chunk by chunk while the upload streams. */
export interface ScanSession {
  write(chunk: Buffer): Promise<void>;
  /** The verdict once every byte was written. */
  finish(): Promise<ScanVerdict>;
  abort(): void;
}

export type ScanVerdict = { status: 'clean' } | { status: 'infected'; signature: string };

/** An antivirus driver. `open` throws `ScannerUnavailable` when the scanner cannot be reached. */
export interface Scanner {
  readonly name: string;
  open(): Promise<ScanSession>;
  ping(): Promise<boolean>;
}

export class ScannerUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ScannerUnavailable';
  }
}
