export { AdminModule } from './admin.module';
export { AdminActionsModule } from './admin-actions.module';
export { ADMIN_ACTIONS_STREAM_PREFIX, AdminActionRecorder, inActionTransaction, type Actor, type AdminAction } from './admin-actions';
