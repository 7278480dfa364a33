import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsOptional, Matches } from 'class-validator';
import { GroupsQueryDto } from './groups-query.dto.js';

const HOSTS_MAX = 100;

// `host=a&host=b` and `host=a,b` give one list, as groups= does; repeats collapse.
const toHostList = ({ value }: { value: unknown }): unknown => {
  const parts = Array.isArray(value) ? value : [value];
  if (!parts.every((part) => typeof part === 'string')) {
    return value;
  }
  return [...new Set(parts.flatMap((part) => part.split(',').map((name) => name.trim())))];
};

/** `groups=` and `host=`: which hosts' samples, and which of their groups. */
export class SampleQueryDto extends GroupsQueryDto {
  @ApiPropertyOptional({
    description:
      'Only these hosts (repeatable, or comma-separated); every host when absent. A standalone ' +
      'vitals has one, a gateway every host its agents report (see GET /api/v1/hosts).',
    type: [String],
    example: ['web-1'],
  })
  @IsOptional()
  @Transform(toHostList)
  @IsArray({ message: 'host must be a host name, repeatable' })
  @ArrayNotEmpty({ message: 'host must name at least one host' })
  @ArrayMaxSize(HOSTS_MAX, { message: `host may name at most ${HOSTS_MAX} hosts` })
  @Matches(/^[\x21-\x7e]{1,253}$/, {
    each: true,
    message: 'host must be host names: 1 to 253 printable characters without spaces',
  })
  host?: string[];
}
