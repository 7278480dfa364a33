import { type FileHandle, open } from 'node:fs/promises';

/**
 * A procfs/sysfs file read every tick through one open handle: each read is a single pread from
 * offset 0 (the kernel regenerates the text), instead of readFile's open, fstat, read and close.
 */
export class ProcFile {
  private handle: FileHandle | undefined;
  private buffer = Buffer.allocUnsafe(4096);

  constructor(readonly path: string) {}

  async read(): Promise<string> {
    this.handle ??= await open(this.path, 'r');
    try {
      let length = 0;
      for (;;) {
        const { bytesRead } = await this.handle.read(
          this.buffer,
          length,
          this.buffer.length - length,
          length,
        );
        length += bytesRead;
        if (length < this.buffer.length) {
          break;
        }
        // Full: the file may be longer (e.g. /proc/stat on a many-core host); grow and go on.
        const larger = Buffer.allocUnsafe(this.buffer.length * 2);
        this.buffer.copy(larger, 0, 0, length);
        this.buffer = larger;
      }
      return this.buffer.toString('latin1', 0, length);
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
  }
}
