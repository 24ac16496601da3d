import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import * as path from 'node:path';

/** Suffix of the temporary files {@link writeFileAtomic} writes; `StateStore` removes leftovers. */
export const TEMP_SUFFIX = '.tmp';

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** Permission bits of the new file. Default `0o600`: state may hold secrets' hashes. */
  readonly mode?: number;
}

/**
 * Replace `file` with `data` so that, whatever happens (crash, power loss, full disk), the file
 * afterwards holds either its old content or the new one in full, never a mix:
 *
 *     write .<name>.<random>.tmp  -> fsync it  -> rename over <name>  -> fsync the directory
 *
 * rename(2) within one directory is atomic; the file fsync makes the data durable before the
 * rename can be, and the directory fsync makes the rename itself durable (ext4 and xfs may
 * otherwise lose it on power loss; see the LWN article "Ensuring data reaches disk"). A
 * failure removes the temporary file and rejects with the system error; a crash leaves it
 * behind under a name ending in {@link TEMP_SUFFIX}, which readers ignore.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  const handle = await open(temp, 'wx', options.mode ?? 0o600);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await fsyncDirectory(dir);
}

/** fsync a directory, making renames and creations inside it durable. */
export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
