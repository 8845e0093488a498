import { CurrentPrincipal, Roles, validationError, type Principal } from '@lib/platform';
import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { mapCreditingErrors } from '../crediting.errors';
import { ReassignmentService } from './reassignment.service';

const ReassignmentSchema = z.strictObject({
  toAgentId: z.string().min(1).max(64),
  policyNos: z.array(z.string().min(1).max(64)).min(1).max(10_000).optional(),
  reason: z.string().min(1).max(2000),
});

@ApiTags('admin: orphan policies')
@Controller('v1/admin/agents/:id/reassignment')
export class ReassignmentController {
  constructor(private readonly reassignments: ReassignmentService) {}

  @Get()
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: "An agent's orphaned policies waiting for a coordinator's decision" })
  async pending(@Param('id') agentId: string) {
    return { items: await this.reassignments.pending(agentId) };
  }

  @Post()
  @HttpCode(200)
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: "Hand an agent's in-force policies (all, or the named ones) to another servicing agent" })
  reassign(@Param('id') agentId: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Req() req: { correlationId?: string }) {
    const parsed = ReassignmentSchema.safeParse(body);
    if (!parsed.success) throw validationError(parsed.error);
    return mapCreditingErrors(() => this.reassignments.reassign(agentId, parsed.data, principal, req.correlationId));
  }
}
