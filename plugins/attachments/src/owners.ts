import { type Scope, TicketOpsError, type TransactionContext } from '@ticketops/plugin-sdk';
import { sql } from './db.ts';
import type { BlobStore } from './storage/store.ts';
import { deleteBlobBytes } from './storage/store.ts';

/**
 * Owner kinds: files that belong to something other than a ticket (a knowledge-base article, …).
 * The plugin owning that thing registers its kind here and decides who may read and write the
 * files; the attachments plugin only stores `owner_kind` / `owner_id` and asks. A kind nobody
 * registered (its plugin disabled) is unreadable: its files answer 404.
 */
export interface OwnerKind {
  /** Whether the scope's actor may see files of this owner (false → 404, never 403). */
  canRead(scope: Scope, ownerId: string): Promise<boolean>;
  /** Whether the scope's actor may add or delete files of this owner. */
  canWrite(scope: Scope, ownerId: string): Promise<boolean>;
}

export interface Owner {
  kind: string;
  id: string;
}

/** `attachments.owners`: the registry a dependent plugin uses (declare `attachments` in `optionalDependsOn`). */
export interface AttachmentOwners {
  /** Registers a kind named `<plugin id>.<thing>` (e.g. `knowledge-base.article`), once, in `init`. */
  register(kind: string, definition: OwnerKind): void;
  get(kind: string): OwnerKind | undefined;
  /**
   * Deletes every file of an owner in the owner's own transaction (call it when the owner is
   * deleted); the trigger releases blob references and bytes go with the last one.
   * Returns how many files went.
   */
  removeAll(scope: Scope, tx: TransactionContext, owner: Owner): Promise<number>;
}

export const OWNER_KIND = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/;
/** `?owner=<kind>:<id>`, as routes accept it. */
export const OWNER_PATTERN = '^[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*:[A-Za-z0-9_]{1,64}$';

export function parseOwner(raw: string): Owner {
  const at = raw.lastIndexOf(':');
  return { kind: raw.slice(0, at), id: raw.slice(at + 1) };
}

export function ownerRegistry(store: () => BlobStore): AttachmentOwners {
  // A Map, not an object: kind names come from plugins, and `__proto__` must stay a plain key.
  const kinds = new Map<string, OwnerKind>();
  return {
    register(kind, definition) {
      if (!OWNER_KIND.test(kind)) throw new TicketOpsError('plugin_invalid', `Attachment owner kind "${kind}" must look like <plugin id>.<thing>`);
      if (kinds.has(kind)) throw new TicketOpsError('plugin_invalid', `Attachment owner kind "${kind}" is registered twice`);
      kinds.set(kind, Object.freeze({ canRead: definition.canRead, canWrite: definition.canWrite }));
    },
    get: (kind) => kinds.get(kind),
    async removeAll(scope, tx, owner) {
      const gone = await sql<{ sha256: string }>(tx.em, 'delete from attachments_file where tenant_id = ? and owner_kind = ? and owner_id = ? returning sha256', [
        scope.tenantId,
        owner.kind,
        owner.id,
      ]);
      for (const sha256 of new Set(gone.map((g) => g.sha256))) {
        // Same as a single delete: the last reference takes the bytes (row locked until commit); bytes that
        // cannot be removed now leave the row at ref_count 0 for the clean-up job.
        const [blob] = await sql<{ storage_key: string }>(tx.em, 'select storage_key from attachments_blob where tenant_id = ? and sha256 = ? and ref_count = 0 for update', [scope.tenantId, sha256]);
        if (!blob) continue;
        const removed = await deleteBlobBytes(store(), scope.tenantId, sha256, blob.storage_key).then(
          () => true,
          () => false,
        );
        if (removed) await sql(tx.em, 'delete from attachments_blob where tenant_id = ? and sha256 = ? and ref_count = 0', [scope.tenantId, sha256]);
      }
      return gone.length;
    },
  };
}

/** Checks an owner's kind and the caller's right to add files to it: 400 naming the field, 404 when unseen, 403 when only readable. */
export async function checkOwnerWrite(scope: Scope, owners: AttachmentOwners, owner: Owner, pointer = '/query/owner'): Promise<OwnerKind> {
  const kind = owners.get(owner.kind);
  if (!kind) throw new TicketOpsError('invalid_input', `No enabled plugin keeps files for "${owner.kind}"`, { details: [{ pointer, message: 'is not a known owner kind' }] });
  if (await kind.canWrite(scope, owner.id)) return kind;
  if (await kind.canRead(scope, owner.id)) throw new TicketOpsError('forbidden', 'You may not change the files of this owner');
  throw new TicketOpsError('not_found', 'Owner was not found', { details: [{ pointer, message: 'was not found' }] });
}
