// Small file systems of a set size, for what a full or read-only disk does.
// Mounting needs root; tests that use these run only where it works.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmdirSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function tryMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(tmpdir(), 'sparkify-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmdirSync(probe);
  }
}

export const canMount = tryMount();

export interface SmallDisk {
  path: string;
  /** Remounts with other options: `ro`, `rw`, `size=20m`. */
  remount(options: string): void;
  /** Fills the disk until only `leaveBytes` are free; returns the filler file. */
  fill(leaveBytes: number): string;
  unmount(): void;
}

export function mountSmallDisk(size: string): SmallDisk {
  const path = mkdtempSync(join(tmpdir(), 'sparkify-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', path]);
  return {
    path,
    remount: (options) => execFileSync('mount', ['-o', `remount,${options}`, path]),
    fill(leaveBytes) {
      const fs = statfsSync(path);
      const filler = join(path, 'filler');
      writeFileSync(filler, Buffer.alloc(Math.max(0, fs.bavail * fs.bsize - leaveBytes)));
      return filler;
    },
    unmount() {
      execFileSync('umount', ['-l', path]);
      rmdirSync(path);
    },
  };
}

