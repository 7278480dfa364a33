import { IsString } from 'class-validator';
import { IsFiniteNumber } from '../../common/dto/schema-decorators.js';

/** One mounted filesystem. */
export class DiskUsageDto {
  /** Where it is mounted, e.g. "/". */
  @IsString()
  mount!: string;
  /** The device or source, e.g. "/dev/sda1". */
  @IsString()
  fs!: string;
  /** Filesystem type, e.g. "ext4". */
  @IsString()
  type!: string;
  /** Size in bytes. */
  @IsFiniteNumber()
  size!: number;
  /** Bytes in use. */
  @IsFiniteNumber()
  used!: number;
  /** Percent in use (0–100), as `df` counts it: used / (used + available to users). */
  @IsFiniteNumber()
  usage!: number;
}
