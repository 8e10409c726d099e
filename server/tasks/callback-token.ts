import { createHash, randomBytes } from 'node:crypto';

/** A task's callback token is 32 random bytes; only this hash of it is stored. */
export const hashCallbackToken = (token: string) => createHash('sha256').update(token).digest('hex');

export const newCallbackToken = () => randomBytes(32).toString('base64url');
