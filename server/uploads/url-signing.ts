import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { safeEqual } from '../http/app-token.ts';

/** The signing key's file in DATA_DIR: 32 random bytes as hex, mode 0600. */
export const URL_KEY_FILE = 'upload-url-key';

/** A signature as it appears in the URL: an HMAC-SHA256 in base64url. */
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

export interface UrlSigner {
  sign(uploadId: string, taskId: string): string;
  /** In constant time, whatever the guess; a malformed one is simply wrong. */
  verify(uploadId: string, taskId: string, signature: string): boolean;
}

/**
 * Signs the links Kling downloads a reference video from. The key is random and kept in DATA_DIR, made on
 * first use: a restart reads the same key, so links handed out for unfinished tasks keep working, and it
 * needs no setting. Whether a link still works is decided by the task (see upload-store.ts), not by
 * the signature, which only proves the studio made this link for this upload and this task. In a cluster
 * Kling's download may land on any replica, so the key is the cluster's: `sharedUrlKey` keeps it in the
 * database instead.
 */
export function createUrlSigner(keyFrom: string | { key: Buffer }): UrlSigner {
  let key: Buffer | undefined = typeof keyFrom === 'string' ? undefined : keyFrom.key;
  const currentKey = () => {
    key ??= readOrMakeKey(keyFrom as string);
    return key;
  };
  const mac = (uploadId: string, taskId: string) =>
    createHmac('sha256', currentKey())
      .update(`motion-studio upload url v1\n${uploadId}\n${taskId}`)
      .digest('base64url');
  return {
    sign: mac,
    verify(uploadId, taskId, signature) {
      const genuine = safeEqual(signature, mac(uploadId, taskId));
      return genuine && SIGNATURE.test(signature);
    },
  };
}

function readOrMakeKey(dataDir: string): Buffer {
  const path = join(dataDir, URL_KEY_FILE);
  try {
    const stored = readFileSync(path, 'utf8').trim();
    if (/^[0-9a-f]{64}$/.test(stored)) return Buffer.from(stored, 'hex');
  } catch {
    // Not made yet.
  }
  const fresh = randomBytes(32);
  mkdirSync(dataDir, { recursive: true });
  // Written aside and renamed, so a crash mid-write never leaves a torn key behind.
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, fresh.toString('hex'), { mode: 0o600 });
  renameSync(tmp, path);
  return fresh;
}

/** The store's notes (queue_state) inside one serialised transaction: the cluster's key, made once. */
interface KeyNotes {
  transaction<T>(fn: (tx: KeyNotes & NoteRw) => Promise<T>): Promise<T>;
}
interface NoteRw {
  readQueueState(key: string): Promise<string | undefined>;
  writeQueueState(key: string, value: string): Promise<void>;
}

const SHARED_KEY_NOTE = 'upload_url_key';

/**
 * Cluster mode: the signing key in the database, made by whichever replica asks first. Transactions are
 * serialised across replicas, so two replicas starting together read back the same key.
 */
export async function sharedUrlKey(store: KeyNotes): Promise<Buffer> {
  const hex = await store.transaction(async (tx) => {
    const stored = await tx.readQueueState(SHARED_KEY_NOTE);
    if (stored && /^[0-9a-f]{64}$/.test(stored)) return stored;
    const fresh = randomBytes(32).toString('hex');
    await tx.writeQueueState(SHARED_KEY_NOTE, fresh);
    return fresh;
  });
  return Buffer.from(hex, 'hex');
}
