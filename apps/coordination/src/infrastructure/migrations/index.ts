import { CoordinationCore1767300000000 } from './1767300000000-coordination-core';
import { ParkedRetry1767300000100 } from './1767300000100-parked-retry';

/** The write side's own tables (handled event ids, parked events), in order. */
export const coordinationCoreMigrations = [CoordinationCore1767300000000, ParkedRetry1767300000100];
