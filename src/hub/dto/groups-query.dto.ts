import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsIn, IsOptional } from 'class-validator';
import { SAMPLE_GROUPS, type SampleGroup } from '../sample-group.js';

// `groups=cpu,memory`, `groups=cpu&groups=memory` and mixes of both give one list; repeats
// collapse. Anything else (numbers, objects from `groups[a]=`) is left for the validators.
const toGroupList = ({ value }: { value: unknown }): unknown => {
  const parts = Array.isArray(value) ? value : [value];
  if (!parts.every((part) => typeof part === 'string')) {
    return value;
  }
  return [...new Set(parts.flatMap((part) => part.split(',').map((name) => name.trim())))];
};

const ALLOWED = SAMPLE_GROUPS.join(', ');
const unknownGroups = (value: unknown): string =>
  JSON.stringify(
    Array.isArray(value)
      ? value.filter((name) => !SAMPLE_GROUPS.includes(name as SampleGroup))
      : value,
  );

export class GroupsQueryDto {
  @ApiPropertyOptional({
    description:
      'Comma-separated groups to include; `id`, `timestamp` and `host` are always present. ' +
      'All groups when absent.',
    type: [String],
    enum: SAMPLE_GROUPS,
    example: ['cpu', 'memory'],
  })
  @IsOptional()
  @Transform(toGroupList)
  @IsArray({ message: 'groups must be a comma-separated list of group names' })
  @ArrayNotEmpty({ message: 'groups must name at least one group' })
  @IsIn(SAMPLE_GROUPS, {
    each: true,
    message: ({ value }) =>
      `groups has unknown group(s) ${unknownGroups(value)}; allowed: ${ALLOWED}`,
  })
  groups?: SampleGroup[];
}
