import { Module } from '@nestjs/common';
import { BearerAuthGuard } from './bearer-auth.guard';
import { ClientAuthenticator } from './client-authenticator';

/** Checkout clients' bearer tokens: the guard of every payment route, and who the caller is. */
@Module({ providers: [ClientAuthenticator, BearerAuthGuard], exports: [ClientAuthenticator, BearerAuthGuard] })
export class AuthModule {}
