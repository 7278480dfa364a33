import { Controller, Get, Headers, Query, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiProtected } from '../common/api-protected.decorator.js';
import { DomainError } from '../common/domain-error.js';
import { ErrorResponseDto } from '../common/dto/error-response.dto.js';
import { ErrorCode } from '../common/error-code.js';
import { RollupsQueryDto } from './dto/rollups-query.dto.js';
import { RollupsResponseDto } from './dto/rollups-response.dto.js';
import { toCsv } from './rollup-csv.js';
import { chooseTier, parseRetention } from './rollup-tiers.js';
import { RollupsService } from './rollups.service.js';

const DEFAULT_FROM = '-1h';
const JSON_TYPE = 'application/json; charset=utf-8';
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}');

@ApiTags('metrics')
@ApiProtected()
@Controller('api/v1/metrics/rollups')
export class RollupsController {
  constructor(private readonly rollups: RollupsService) {}

  @Get()
  @ApiOperation({
    summary: 'Long-term history: min/avg/max per bucket',
    description:
      'The rollup points of `host=` (every host when absent) from `from` to `to`, by host then ' +
      'time, the bucket still open included. `Accept: text/csv` or `format=csv` answers with ' +
      'CSV: `timestamp,host,samples,<path>.min,<path>.avg,<path>.max…`.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: 'The points of the range', type: RollupsResponseDto })
  @ApiBadRequestResponse({
    description:
      'Invalid query: an unparsable `from`/`to`, `from` after `to`, or a `step` not configured ' +
      '(code INVALID_QUERY)',
    type: ErrorResponseDto,
  })
  @ApiServiceUnavailableResponse({
    description:
      'The rollup store cannot be read now, e.g. PostgreSQL restarting (code HISTORY_UNAVAILABLE)',
    type: ErrorResponseDto,
  })
  async range(
    @Query() query: RollupsQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string | StreamableFile> {
    const nowMs = Date.now();
    const fromMs = parseTime(query.from ?? DEFAULT_FROM, 'from', nowMs);
    const toMs = query.to === undefined ? nowMs : parseTime(query.to, 'to', nowMs);
    if (fromMs > toMs) {
      throw invalid(`from (${iso(fromMs)}) is after to (${iso(toMs)})`);
    }
    const tiers = this.rollups.tiers;
    const tier = query.step
      ? tiers.find((candidate) => candidate.name === query.step)
      : chooseTier(tiers, fromMs, toMs, nowMs);
    if (!tier) {
      const configured = tiers.map((candidate) => candidate.name).join(', ');
      throw invalid(`step ${query.step} is not a configured tier (VITALS_ROLLUPS: ${configured})`);
    }
    response.setHeader('Cache-Control', 'no-store');
    if (query.format === 'csv' || (query.format === undefined && wantsCsv(accept))) {
      const points = await this.rollups.points(tier, fromMs, toMs, query.host, query.groups);
      response.setHeader('Content-Type', 'text/csv; charset=utf-8');
      return toCsv(points);
    }
    // Made of the points' texts (cached for stored buckets), not serialized whole: answers run
    // to megabytes, and serializing them was most of a query's time.
    const texts = await this.rollups.pointTexts(tier, fromMs, toMs, query.host, query.groups);
    const head: Omit<RollupsResponseDto, 'points'> = {
      tier: tier.name,
      stepSeconds: tier.stepMs / 1000,
      from: iso(fromMs),
      to: iso(toMs),
    };
    const parts: Buffer[] = [Buffer.from(`${JSON.stringify(head).slice(0, -1)},"points":[`)];
    texts.forEach((text, index) => parts.push(...(index === 0 ? [text] : [COMMA, text])));
    parts.push(CLOSE);
    const body = Buffer.concat(parts);
    return new StreamableFile(body, { type: JSON_TYPE, length: body.length });
  }
}

// `-24h` from now, or an ISO 8601 time (its shape checked by the DTO).
function parseTime(text: string, name: string, nowMs: number): number {
  const ms = text.startsWith('-')
    ? nowMs - (parseRetention(text.slice(1)) ?? NaN)
    : Date.parse(text);
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) {
    throw invalid(`${name} is not a valid time: ${JSON.stringify(text)}`);
  }
  return ms;
}

function wantsCsv(accept: string | undefined): boolean {
  return accept !== undefined && /(^|,)\s*text\/csv\b/i.test(accept);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function invalid(message: string): DomainError {
  return new DomainError(ErrorCode.INVALID_QUERY, message);
}
