/** Plugin configuration (validated by the kernel against `configSchema`, defaults applied). */
export interface AttachmentsConfig {
  storage: {
    driver: 'disk' | 's3';
    /** Disk driver: directory for blobs; default `<dataDir>/attachments`. */
    dir?: string;
    s3?: S3Settings;
  };
  limits: {
    /** Largest single file, bytes. */
    maxFileBytes: number;
    /** Sum of a ticket's attachments, bytes. */
    maxTicketBytes: number;
    /** Sum of a tenant's attachments, bytes. */
    maxTenantBytes: number;
  };
  /** Sniffed MIME types accepted; empty = everything not denied. */
  allow: string[];
  /** Sniffed MIME types refused even when allowed. */
  deny: string[];
  scanner: {
    driver: 'none' | 'clamav';
    /** clamd's local socket path (or `host`/`port` for TCP). */
    socket?: string;
    host?: string;
    port?: number;
    timeoutMs: number;
    /** When the scanner cannot be reached: `reject` the upload (fail closed) or store it flagged `unscanned`. */
    whenUnavailable: 'reject' | 'flag';
  };
  /** Direct-to-S3 uploads (s3 driver only). */
  presigned: {
    /** Lifetime of the presigned URLs; an upload not completed by then is dropped by the clean-up job. */
    expiresSeconds: number;
    /** Files larger than this get a multipart upload with one URL per part; smaller ones one PUT URL. */
    multipartAboveBytes: number;
  };
  /** Text recognition on image attachments (tesseract.js, English), run as a job after upload. */
  ocr: {
    enabled: boolean;
    /** Most images recognised at once in one process (each a worker thread). */
    concurrency: number;
    /** Longest text kept per attachment, in characters. */
    maxTextChars: number;
  };
  /** Scheduled clean-up of what no one will ever read (see docs/attachments.md, "Jobs"). */
  cleanup: {
    cron: string;
    /** Uploads never attached to a ticket are deleted after this many hours. */
    unattachedHours: number;
    /** Staged bytes (disk `.tmp`, S3 `<prefix>tmp/` and multipart uploads) older than this are removed. */
    stagingMinutes: number;
    /** Rows handled per transaction. */
    batchSize: number;
  };
  retention: {
    /** Attachments of tickets closed for more than this many days are deleted; absent = keep forever. */
    closedTicketDays?: number;
    cron: string;
  };
}

export interface S3Settings {
  bucket: string;
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Key prefix inside the bucket. */
  prefix?: string;
  /** Multipart part size in bytes (min 5 MiB); grown for large objects to stay within `maxParts`. */
  partSize?: number;
  // The object store's limits (defaults: S3's own). Set lower only for an S3-compatible server with
  // smaller limits, or in tests to exercise the large-object paths with a few MiB.
  /** Largest object one CopyObject may copy (S3: 5 GiB); larger ones are copied in ranges with UploadPartCopy. */
  maxCopyBytes?: number;
  /** Bytes per UploadPartCopy range (default 512 MiB; grown to stay within `maxParts`). */
  copyPartSize?: number;
  /** Most parts in one multipart upload (S3: 10,000). */
  maxParts?: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const DEFAULT_ALLOW = [
  'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'image/tiff', 'image/heic', 'image/avif', 'image/svg+xml',
  'application/pdf', 'text/plain', 'application/zip', 'application/gzip', 'application/x-7z-compressed',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.spreadsheet', 'application/x-cfb',
  'audio/mpeg', 'audio/wav', 'video/mp4', 'video/quicktime', 'message/rfc822',
];

export const DEFAULT_DENY = [
  'application/x-msdownload', 'application/vnd.microsoft.portable-executable', 'application/x-elf', 'application/x-mach-binary',
  'application/x-sharedlib', 'application/x-executable', 'application/java-archive', 'application/x-msi', 'application/x-apple-diskimage',
  'text/html', 'application/xhtml+xml',
];

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    storage: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        driver: { enum: ['disk', 's3'], default: 'disk' },
        dir: { type: 'string', minLength: 1 },
        s3: {
          type: 'object',
          additionalProperties: false,
          required: ['bucket', 'region'],
          properties: {
            bucket: { type: 'string', minLength: 3 },
            region: { type: 'string', minLength: 1 },
            endpoint: { type: 'string', format: 'uri' },
            forcePathStyle: { type: 'boolean' },
            accessKeyId: { type: 'string' },
            secretAccessKey: { type: 'string' },
            prefix: { type: 'string', pattern: '^[A-Za-z0-9/_-]*$' },
            partSize: { type: 'integer', minimum: 5 * MiB, maximum: 5 * GiB },
            maxCopyBytes: { type: 'integer', minimum: 5 * MiB, maximum: 5 * GiB },
            copyPartSize: { type: 'integer', minimum: 5 * MiB, maximum: 5 * GiB },
            maxParts: { type: 'integer', minimum: 1, maximum: 10000 },
          },
        },
      },
    },
    limits: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        maxFileBytes: { type: 'integer', minimum: 1, default: 25 * MiB },
        maxTicketBytes: { type: 'integer', minimum: 1, default: 200 * MiB },
        maxTenantBytes: { type: 'integer', minimum: 1, default: 50 * 1024 * MiB },
      },
    },
    allow: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9.+-]+/[a-z0-9.+-]+$' }, default: DEFAULT_ALLOW },
    deny: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9.+-]+/[a-z0-9.+-]+$' }, default: DEFAULT_DENY },
    scanner: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        driver: { enum: ['none', 'clamav'], default: 'none' },
        socket: { type: 'string', minLength: 1 },
        host: { type: 'string', minLength: 1 },
        port: { type: 'integer', minimum: 1, maximum: 65535 },
        timeoutMs: { type: 'integer', minimum: 100, default: 30000 },
        whenUnavailable: { enum: ['reject', 'flag'], default: 'reject' },
      },
    },
    presigned: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        expiresSeconds: { type: 'integer', minimum: 60, maximum: 604800, default: 3600 },
        multipartAboveBytes: { type: 'integer', minimum: 5 * MiB, default: 64 * MiB },
      },
    },
    ocr: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        enabled: { type: 'boolean', default: false },
        concurrency: { type: 'integer', minimum: 1, maximum: 16, default: 1 },
        maxTextChars: { type: 'integer', minimum: 100, maximum: 1000000, default: 100000 },
      },
    },
    cleanup: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        cron: { type: 'string', minLength: 9, default: '17 * * * *' },
        unattachedHours: { type: 'number', exclusiveMinimum: 0, default: 24 },
        stagingMinutes: { type: 'number', minimum: 10, default: 60 },
        batchSize: { type: 'integer', minimum: 1, maximum: 10000, default: 500 },
      },
    },
    retention: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        closedTicketDays: { type: 'integer', minimum: 1 },
        cron: { type: 'string', minLength: 9, default: '43 3 * * *' },
      },
    },
  },
};
