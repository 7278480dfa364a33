import { closeSync, openSync, readSync } from 'node:fs';

const HALF_PAGE = 2048;

/** The buffer a ProcFile reads into; it grows with the longest file read through it. */
export class ReadBuffer {
  buffer: Buffer = Buffer.allocUnsafe(4096);
}

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

  /**
   * `scratch`: the buffer reads go through, which files read one after another may share (a
   * read is synchronous and returns a string): thousands of cgroup files need not hold 4 KiB each.
   */
  constructor(
    readonly path: string,
    private readonly scratch: ReadBuffer = new ReadBuffer(),
  ) {}

  private get buffer(): Buffer {
    return this.scratch.buffer;
  }

  private set buffer(larger: Buffer) {
    this.scratch.buffer = larger;
  }

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
        // procfs's and cgroupfs's seq_files hand out whole lines about a page per read whatever
        // the room left, so a read just short of a page is not the end (/proc/net/dev with many
        // interfaces). One short by more than any line (half a page) is: the kernel had no line
        // left to give, which saves the read of 0 on the small files read every tick.
        const requested = this.buffer.length - length;
        const read = readSync(this.fd, this.buffer, length, requested, length);
        length += read;
        if (read === 0 || read < Math.min(requested, HALF_PAGE)) {
          break;
        }
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
