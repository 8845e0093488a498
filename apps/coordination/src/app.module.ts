import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@lib/platform';
import type { CoordinationConfig } from './config';

@Module({})
export class CoordinationAppModule {
  static forRoot(config: CoordinationConfig): DynamicModule {
    return {
      module: CoordinationAppModule,
      imports: [PlatformModule.forRoot({ service: 'coordination', config, migrations: [] })],
    };
  }
}
