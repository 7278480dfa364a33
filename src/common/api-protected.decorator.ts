import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './dto/error-response.dto.js';

/** The OpenAPI security scheme of VITALS_TOKEN (declared in the document builder). */
export const TOKEN_SECURITY = 'token';

/**
 * Documents a controller (or route) behind VITALS_TOKEN: the bearer scheme and its 401. The
 * token itself is checked by AuthMiddleware, in front of every route.
 */
export const ApiProtected = (): ReturnType<typeof applyDecorators> =>
  applyDecorators(
    ApiBearerAuth(TOKEN_SECURITY),
    ApiUnauthorizedResponse({
      description:
        'VITALS_TOKEN is set and the request has no valid token: Bearer header, access_token= or ' +
        'the session cookie (code UNAUTHORIZED)',
      type: ErrorResponseDto,
    }),
  );
