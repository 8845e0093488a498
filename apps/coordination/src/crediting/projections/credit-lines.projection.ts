import type { RecordedEvent } from '@lib/event-store';
import { Injectable } from '@nestjs/common';
import type { Projection, ProjectionContext } from '../../infrastructure/projections/projection.types';
import { CreditLedgerEvent, LINE_EVENT_TYPES } from '../ledger/credit-ledger';
import { CREDIT_LINE_COLUMNS, CreditLineRow, RESTATE_SQL, creditLineRows, restatedRows } from './credit-line.row';

export const CREDIT_LINES_TABLE = 'coordination.credit_lines';
/** Rows per INSERT: 33 columns stay well under PostgreSQL's 65535 bind parameters. */
const CHUNK = 1000;

/**
 * coordination.credit_lines: one row per ledger line, from the credit-* streams alone (the
 * attribution the ledger events carry), so an auditor's rebuild equals the live table. A re-credit
 * that reads lines posted before otherwise (`reattributed`) restates their rows, in event order.
 */
@Injectable()
export class CreditLinesProjection implements Projection {
  readonly name = 'credit-lines';
  readonly tables = [{ name: CREDIT_LINES_TABLE, primaryKey: 'line_id' }];
  readonly types = LINE_EVENT_TYPES;
  readonly streamPrefix = 'credit-';

  async apply(events: RecordedEvent[], context: ProjectionContext): Promise<void> {
    let rows: CreditLineRow[] = [];
    const flush = async () => {
      for (let i = 0; i < rows.length; i += CHUNK) await this.insert(context, rows.slice(i, i + CHUNK));
      rows = [];
    };
    for (const e of events) {
      const event = { type: e.type, data: e.data } as CreditLedgerEvent;
      rows.push(...creditLineRows(event, e));
      const restated = restatedRows(event);
      if (!restated) continue;
      // The rows it restates were inserted by earlier events, maybe of this batch.
      await flush();
      await context.manager.query(RESTATE_SQL(context.table(CREDIT_LINES_TABLE)),
        [restated.line_ids, restated.referral_ids, restated.cross_sales, restated.selling_subsidiary]);
    }
    await flush();
  }

  private async insert(context: ProjectionContext, rows: CreditLineRow[]): Promise<void> {
    if (rows.length === 0) return;
    const width = CREDIT_LINE_COLUMNS.length;
    const values = rows.map((_, r) => `(${CREDIT_LINE_COLUMNS.map((_c, c) => `$${r * width + c + 1}`).join(', ')})`).join(', ');
    await context.manager.query(
      `INSERT INTO ${context.table(CREDIT_LINES_TABLE)} (${CREDIT_LINE_COLUMNS.join(', ')}) VALUES ${values} ON CONFLICT (line_id) DO NOTHING`,
      rows.flatMap((row) => CREDIT_LINE_COLUMNS.map((c) => row[c])),
    );
  }
}
