import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { BackgroundServicesError } from '../cdp/errors.js';

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENAMETOOLONG: 'the path is too long',
  EISDIR: 'a directory has that file name',
  EMFILE: 'too many files are open',
  ENOENT: 'a folder on the path does not exist',
};

/** The nearest existing ancestor of `path` that is not a directory, if one blocks it. */
async function blockingFile(path: string): Promise<string | undefined> {
  for (let current = resolve(path); ; current = dirname(current)) {
    const stats = await stat(current).catch(() => undefined);
    if (stats) return stats.isDirectory() ? undefined : current;
    if (dirname(current) === current) return undefined;
  }
}

/** Why a file-system call failed, in words, naming the file that blocks a path when there is one. */
export async function describeWriteFailure(error: unknown, path: string): Promise<string> {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOTDIR' || code === 'EEXIST') {
    const file = await blockingFile(path);
    if (file) return `${file} is a file, not a directory (${code})`;
  }
  if (code && REASONS[code]) return `${REASONS[code]} (${code})`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Writes files into `dir` all or nothing: each to a temporary name first, renamed into place
 * once all are written, so a failure (a full disk, a folder that cannot be written) leaves no
 * half-written JSON for someone to load later. Failures are a `BackgroundServicesError` naming
 * the folder, the reason and what to do.
 */
export async function writeFilesAtomically(dir: string, files: ReadonlyArray<{ name: string; content: string }>, call: string): Promise<string[]> {
  if (typeof dir !== 'string' || dir === '') {
    throw new BackgroundServicesError(`${call}: expected a directory path, got ${JSON.stringify(dir)}.`);
  }
  const fail = async (error: unknown, path: string, saved: readonly string[] = []): Promise<never> => {
    throw new BackgroundServicesError(
      `${call}: cannot write to ${resolve(path)}: ${await describeWriteFailure(error, path)}. ` +
        (saved.length
          ? `Saved before the failure: ${saved.join(', ')}; the rest is still in memory: `
          : 'Nothing was saved, and the events are still in memory: ') +
        `pass a folder this process can write, e.g. testInfo.outputPath('background-services').`,
      { cause: error },
    );
  };
  await mkdir(dir, { recursive: true }).catch((error: unknown) => fail(error, dir));
  const written: string[] = [];
  try {
    for (const [index, file] of files.entries()) {
      const temporary = join(dir, `.${file.name}.${process.pid}-${index}.tmp`);
      written.push(temporary);
      await writeFile(temporary, file.content).catch((error: unknown) => fail(error, join(dir, file.name)));
    }
    const paths: string[] = [];
    for (const [index, file] of files.entries()) {
      const path = join(dir, file.name);
      await rename(written[index]!, path).catch((error: unknown) => fail(error, path, paths));
      paths.push(path);
    }
    written.length = 0;
    return paths;
  } finally {
    await Promise.all(written.map((temporary) => rm(temporary, { force: true }).catch(() => {})));
  }
}
