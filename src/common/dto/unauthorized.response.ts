import { ErrorResponseDto } from './error-response.dto.js';

/** The 401 of every route behind VITALS_TOKEN, for @ApiUnauthorizedResponse. */
export const UNAUTHORIZED = {
  description:
    'VITALS_TOKEN is set and the request has no valid token: Bearer header, access_token= or ' +
    'the session cookie (code UNAUTHORIZED)',
  type: ErrorResponseDto,
};
