import 'reflect-metadata';
import { runSubsidiaryService } from '@lib/subsidiary-gateway';

void runSubsidiaryService('pnc');
