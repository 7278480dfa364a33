import { IsIn, IsNotEmpty, IsOptional, IsString, Matches } from 'class-validator';

/** The fields of a Redis Stream entry a gateway reads; any others are not looked at. */
export class StreamEntryFields {
  static readonly NAMES: ReadonlySet<string> = new Set(['kind', 'host', 'data', 'run', 'seq']);

  @IsIn(['sample', 'alert'])
  kind!: 'sample' | 'alert';

  @IsString()
  @IsNotEmpty()
  host!: string;

  /** The event's JSON, as the agent serialized it for its own subscribers. */
  @IsString()
  data!: string;

  /** The idempotency key: the agent's run (random per process start)... */
  @IsOptional()
  @Matches(/^[\w-]{1,64}$/)
  run?: string;

  /** ...and the entry's number in it, so a gateway knows a re-sent entry for what it is. */
  @IsOptional()
  @Matches(/^\d{1,15}$/)
  seq?: string;
}
