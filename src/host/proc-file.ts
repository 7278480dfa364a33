import { closeSync, openSync, readSync } from 'node:fs';

/**
 * A procfs file read every tick through one open descriptor: preads from offset 0 until one
 * returns nothing (the kernel regenerates the text), instead of readFile's open, fstat, read
 * and close.
 * Reads are synchronous on purpose: procfs text is generated in memory without disk I/O, and
 * the promise API's round trip through libuv's thread pool cost several times the read itself.
 * Not for sysfs hwmon files, whose drivers may sleep on a slow bus.
 */
export class ProcFile {
  private fd: number | undefined;
  private buffer = Buffer.allocUnsafe(4096);

  constructor(readonly path: string) {}

  read(): string {
    this.fd ??= openSync(this.path, 'r');
    try {
      let length = 0;
      for (;;) {
        if (length === this.buffer.length) {
          // Full: the file may be longer (e.g. /proc/stat on a many-core host); grow and go on.
          const larger = Buffer.allocUnsafe(this.buffer.length * 2);
          this.buffer.copy(larger, 0, 0, length);
          this.buffer = larger;
        }
        // Only a read of 0 ends the file: procfs's seq_files hand out about a page per read
        // whatever the room left, so a short read is not the end (/proc/net/dev with many
        // interfaces, /proc/diskstats with many disks).
        const read = readSync(this.fd, this.buffer, length, this.buffer.length - length, length);
        if (read === 0) {
          break;
        }
        length += read;
      }
      return this.buffer.toString('latin1', 0, length);
    } catch (error) {
      this.close();
      throw error;
    }
  }

  close(): void {
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // Already gone with the file system: nothing left to release.
      }
    }
  }
}
