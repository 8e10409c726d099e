const SECRET_PREFIX = 'whsec_';
const MIN_SECRET_BYTES = 16;

/**
 * The HMAC key of a secret as Kling and Standard Webhooks define it: base64 after an optional `whsec_`.
 * Throws (without echoing the value) when it is not one; the env schema calls this at boot, the verifier
 * when it is built. It sits in config/ so that config never imports http/.
 */
export function decodeWebhookSecret(secret: string): Buffer {
  const b64 = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  // Node's decoder skips characters outside the alphabet; a typo must not silently become another key.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0)
    throw new Error('must be whsec_ followed by base64, as Kling shows it');
  const key = Buffer.from(b64, 'base64');
  if (key.length < MIN_SECRET_BYTES)
    throw new Error(`is too short: a webhook secret holds at least ${MIN_SECRET_BYTES} bytes`);
  return key;
}
