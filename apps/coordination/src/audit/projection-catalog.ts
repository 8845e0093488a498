import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Projection } from '../infrastructure/projections/projection.types';
import { PROJECTIONS } from '../infrastructure/tokens';
import { auditError, AuditErrorCode } from './audit.errors';

/**
 * The projections the app runs, by name. The list is provided inside the core module,
 * which the features do not import (it imports them), so it is looked up in the whole
 * container rather than injected.
 */
@Injectable()
export class ProjectionCatalog {
  constructor(private readonly moduleRef: ModuleRef) {}

  all(): Projection[] {
    try {
      return this.moduleRef.get<Projection[]>(PROJECTIONS, { strict: false });
    } catch {
      return [];
    }
  }

  require(name: string): Projection {
    const projection = this.all().find((p) => p.name === name);
    if (!projection) {
      const known = this.all().map((p) => p.name);
      throw auditError(AuditErrorCode.ProjectionNotFound, `No projection named ${JSON.stringify(name)}; known: ${known.join(', ') || 'none'}.`);
    }
    return projection;
  }
}
