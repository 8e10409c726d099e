/**
 * Keys are relative, `/`-separated paths without `.`/`..` segments: they name a file under DATA_DIR or an
 * object under the prefix, never anything outside.
 */
export function checkKey(key: string): string {
  const segments = key.split('/');
  const bad =
    key === '' || key.includes('\\') || key.includes('\0') || segments.some((s) => s === '..' || s === '.');
  // A trailing `/` is allowed (a prefix); an empty segment elsewhere is not.
  const empty = segments.slice(0, -1).some((s) => s === '');
  if (bad || empty) throw new Error(`not a storage key: ${JSON.stringify(key)}`);
  return key;
}
