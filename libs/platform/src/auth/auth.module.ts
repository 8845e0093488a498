import { DynamicModule, Module, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule, type ThrottlerStorage } from '@nestjs/throttler';
import { DataSource } from 'typeorm';
import { ApiKeyStore } from './api-key.store';
import { authConfigFromEnv, type AuthConfig, type AuthEnv } from './auth.config';
import { AuthGuard } from './auth.guard';
import { Authenticator } from './authenticator';
import { JwtVerifier } from './jwt.verifier';
import { PrincipalThrottlerGuard } from './rate-limit.guard';
import { SecondBucketThrottlerStorage } from './rate-limit.storage';

export const AUTH_CONFIG = Symbol('AUTH_CONFIG');
export const JWT_VERIFIER = Symbol('JWT_VERIFIER');

export interface AuthModuleOptions {
  /** The settings; defaults to process.env. The platform's validated config object fits. */
  env?: AuthEnv;
  /** Already-built settings; wins over `env`. */
  config?: AuthConfig;
  /** Where the `auth` schema lives; defaults to the app's default TypeORM DataSource. */
  dataSourceToken?: string | symbol | Function;
  /** Shared counters for the rate limiter (default: this instance's memory, SecondBucketThrottlerStorage). */
  throttlerStorage?: ThrottlerStorage;
}

/**
 * Authentication, role checks and per-principal rate limits for a service. Installs two
 * global guards (rate limit, then auth), so every route is closed unless it says
 * otherwise. The settings are read here, at boot, so a bad variable stops the service.
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions = {}): DynamicModule {
    const config = options.config ?? authConfigFromEnv(options.env ?? process.env);
    const providers: Provider[] = [
      { provide: AUTH_CONFIG, useValue: config },
      {
        provide: ApiKeyStore,
        useFactory: (dataSource: DataSource) => new ApiKeyStore(dataSource, { cacheTtlMs: config.apiKeyCacheTtlMs }),
        inject: [options.dataSourceToken ?? DataSource],
      },
      { provide: JWT_VERIFIER, useFactory: () => (config.jwt ? new JwtVerifier(config.jwt) : null) },
      {
        provide: Authenticator,
        useFactory: (store: ApiKeyStore, jwt: JwtVerifier | null) => new Authenticator(store, jwt),
        inject: [ApiKeyStore, JWT_VERIFIER],
      },
      // Limiter first, so failed authentication also spends the caller's (IP) budget.
      { provide: APP_GUARD, useClass: PrincipalThrottlerGuard },
      { provide: APP_GUARD, useClass: AuthGuard },
    ];
    return {
      module: AuthModule,
      global: true,
      imports: [
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'default', ttl: 60_000, limit: config.rateLimitPerMinute }],
          storage: options.throttlerStorage ?? new SecondBucketThrottlerStorage(),
        }),
      ],
      providers,
      exports: [AUTH_CONFIG, ApiKeyStore, Authenticator, JWT_VERIFIER],
    };
  }
}
