import { Injectable } from '@nestjs/common';
import type { EventArchive } from './event-archive.js';

/**
 * Where the stream finds events older than the hub's memory: empty when events are only in
 * memory; a gateway's transport attaches its Redis Stream here at start-up. The stream reads it
 * without knowing the transport, and the transport plugs in without knowing the stream.
 */
@Injectable()
export class ArchivePort {
  private archive: EventArchive | undefined;

  /** The archive attached, if any. */
  get current(): EventArchive | undefined {
    return this.archive;
  }

  attach(archive: EventArchive): void {
    this.archive = archive;
  }
}
