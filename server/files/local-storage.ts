import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, link, mkdir, open, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileStorage } from './file-storage.ts';
import { checkKey } from './storage-key.ts';

const isMissing = (e: unknown) => {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
};

/**
 * DATA_DIR as it has always been: a key is a path under it. Every write lands under a temporary name beside
 * the file and is renamed into place, so a reader never sees half a file and a crash leaves only a temporary
 * (`*.tmp`, `*.partial`) behind.
 */
export function createLocalStorage(root: string): FileStorage {
  const pathOf = (key: string) => join(root, checkKey(key));
  const tempBeside = (dest: string) => `${dest}.${process.pid}.${randomUUID()}.tmp`;
  const folderFor = (dest: string) => mkdir(dirname(dest), { recursive: true });

  async function replaceWith(
    dest: string,
    write: (tmp: string) => Promise<void>,
    knownSize?: number,
  ): Promise<number> {
    await folderFor(dest);
    const tmp = tempBeside(dest);
    try {
      await write(tmp);
      const size = knownSize ?? (await stat(tmp)).size;
      await rename(tmp, dest);
      return size;
    } catch (e) {
      await rm(tmp, { force: true }).catch(() => {});
      throw e;
    }
  }

  async function* walk(dir: string): AsyncGenerator<string> {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (e) {
      if (isMissing(e)) return;
      throw e;
    }
    for (const name of names) {
      const path = join(dir, name);
      const info = await stat(path).catch(() => undefined);
      if (info?.isDirectory()) yield* walk(path);
      else if (info?.isFile()) yield path;
    }
  }

  return {
    kind: 'local',

    async put(key, body) {
      const dest = pathOf(key);
      const bytes =
        body instanceof Uint8Array
          ? await replaceWith(dest, (tmp) => writeFile(tmp, body), body.byteLength)
          : await replaceWith(dest, (tmp) => pipeline(body, createWriteStream(tmp)));
      return { bytes, parts: 1 };
    },

    async putFile(key, path, opts = {}) {
      const dest = pathOf(key);
      if (opts.move) {
        await folderFor(dest);
        try {
          // Staging paths sit beside their key, so this is a rename (the file's mode and all).
          await rename(path, dest);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
          await replaceWith(dest, (tmp) => copyFile(path, tmp));
          await rm(path, { force: true });
        }
        return { bytes: (await stat(dest)).size, parts: 1 };
      }
      return { bytes: await replaceWith(dest, (tmp) => copyFile(path, tmp)), parts: 1 };
    },

    async read(key, range) {
      let fh: Awaited<ReturnType<typeof open>>;
      try {
        fh = await open(pathOf(key), 'r');
      } catch (e) {
        if (isMissing(e)) return undefined;
        throw e;
      }
      // One open file for the size and the bytes: a file replaced meanwhile cannot mix the two.
      const info = await fh.stat();
      if (!info.isFile()) {
        await fh.close();
        return undefined;
      }
      const body: Readable = fh.createReadStream(range ? { start: range.start, end: range.end } : {});
      return { body, size: info.size };
    },

    async stat(key) {
      const info = await stat(pathOf(key)).catch(() => undefined);
      return info?.isFile() ? { size: info.size } : undefined;
    },

    async delete(key) {
      await rm(pathOf(key), { force: true });
    },

    async deletePrefix(prefix) {
      const path = pathOf(prefix);
      if (prefix.endsWith('/')) {
        await rm(path, { recursive: true, force: true });
        return;
      }
      const dir = dirname(path);
      const start = basename(path);
      const names = await readdir(dir).catch((e: unknown) => {
        if (isMissing(e)) return [] as string[];
        throw e;
      });
      for (const name of names)
        if (name.startsWith(start)) await rm(join(dir, name), { recursive: true, force: true });
    },

    async copy(from, to) {
      const source = pathOf(from);
      const dest = pathOf(to);
      // A hard link costs no space and no time; another file system (EXDEV), or one without links, gets a copy.
      await replaceWith(dest, (tmp) => link(source, tmp).catch(() => copyFile(source, tmp)));
    },

    async withLocalFile(key, fn) {
      const path = pathOf(key);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile()) return undefined;
      return fn(path);
    },

    async stagingPath(key) {
      const dest = pathOf(key);
      await folderFor(dest);
      return `${dest}.${randomUUID()}.partial`;
    },

    async *list(prefix) {
      const path = pathOf(prefix);
      const from = prefix.endsWith('/') ? path : dirname(path);
      for await (const file of walk(from)) {
        const key = relative(root, file).split(sep).join('/');
        if (!key.startsWith(prefix)) continue;
        const info = await stat(file).catch(() => undefined);
        if (info) yield { key, size: info.size, modifiedAt: info.mtimeMs };
      }
    },

    async close() {},
  };
}
