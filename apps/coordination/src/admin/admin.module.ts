import { Module } from '@nestjs/common';
import { AdminActionsModule } from './admin-actions.module';
import { ApiKeysAdminService } from './api-keys.service';
import { DeadLettersAdminService } from './dead-letters.service';
import { ApiKeysController } from './http/api-keys.controller';
import { DeadLettersController } from './http/dead-letters.controller';
import { ParkedEventsController } from './http/parked-events.controller';

/**
 * The coordination team's operational API (/v1/admin): API keys, dead letters, parked
 * events. Feature-specific admin routes (credit rules, conflicts, merges) live with
 * their features. No tables of its own: actions are events in `admin-actions-<day>`.
 */
@Module({
  imports: [AdminActionsModule],
  controllers: [ApiKeysController, DeadLettersController, ParkedEventsController],
  providers: [ApiKeysAdminService, DeadLettersAdminService],
  exports: [AdminActionsModule],
})
export class AdminModule {}
