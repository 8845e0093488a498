import 'reflect-metadata';
import { runSubsidiaryService } from '@lib/subsidiary-gateway';
import { join } from 'node:path';

// The app is the shared gateway plus this subsidiary's catalogue (../catalogue.json, copied into dist by the build).
void runSubsidiaryService('group', { cataloguePath: join(__dirname, '..', 'catalogue.json') });
