import { Module } from '@nestjs/common';
import { SessionController } from './session.controller.js';

// Credentials are checked by AuthMiddleware, installed in front of everything by configureApp.
@Module({ controllers: [SessionController] })
export class AuthModule {}
