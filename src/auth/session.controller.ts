import { Controller, Delete, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ApiProtected } from '../common/api-protected.decorator.js';
import { stringifySetCookie } from 'cookie';
import type { Request, Response } from 'express';
import { ErrorResponseDto } from '../common/dto/error-response.dto.js';
import { authConfig } from '../config/auth.config.js';
import { SESSION_COOKIE } from './auth.middleware.js';
import { TokenVerifier } from './token-verifier.js';

const WEEK_SECONDS = 7 * 24 * 3600;

@ApiTags('session')
@ApiProtected()
@Controller('api/v1/session')
export class SessionController {
  private readonly verifier: TokenVerifier | undefined;

  constructor(@Inject(authConfig.KEY) config: ConfigType<typeof authConfig>) {
    this.verifier = config.token === undefined ? undefined : new TokenVerifier(config.token);
  }

  @Post()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Sign a browser in: the token (as Authorization: Bearer) becomes a session cookie',
    description:
      'Sets an HttpOnly, SameSite=Strict cookie valid for a week, so the dashboard and ' +
      'EventSource work without the token in any URL. Changing VITALS_TOKEN ends every session. ' +
      'Without VITALS_TOKEN it sets nothing.',
  })
  @ApiNoContentResponse({ description: 'Signed in (the cookie is set)' })
  @ApiUnauthorizedResponse({
    description: 'Wrong token (code UNAUTHORIZED)',
    type: ErrorResponseDto,
  })
  signIn(@Req() request: Request, @Res({ passthrough: true }) response: Response): void {
    if (this.verifier) {
      response.setHeader('Set-Cookie', this.cookie(request, this.verifier.session, WEEK_SECONDS));
    }
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign a browser out: clears the session cookie' })
  @ApiNoContentResponse({ description: 'Signed out' })
  signOut(@Req() request: Request, @Res({ passthrough: true }) response: Response): void {
    response.setHeader('Set-Cookie', this.cookie(request, '', 0));
  }

  private cookie(request: Request, value: string, maxAge: number): string {
    return stringifySetCookie(SESSION_COOKIE, value, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      maxAge,
      // Only marked Secure when the request came over TLS: on plain-HTTP loopback a Secure
      // cookie would never be sent back.
      secure: request.secure,
    });
  }
}
