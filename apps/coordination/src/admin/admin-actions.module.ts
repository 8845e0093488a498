import { Module } from '@nestjs/common';
import { AdminActionRecorder } from './admin-actions';

/** The recorder of admin actions, shared by the admin API and the audit API's projection swap. */
@Module({ providers: [AdminActionRecorder], exports: [AdminActionRecorder] })
export class AdminActionsModule {}
