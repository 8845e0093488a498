import { CurrentPrincipal, type Principal, Roles } from '@lib/platform';
import { Body, Controller, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { IntakeRoute } from './openapi';
import { IntakeHttp, type IntakeHttpRequest } from './intake.http';

/**
 * The intake routes of ARCHITECTURE.md. Any subsidiary role passes the guard; the
 * handler then admits only this service's own subsidiary (a life key on P&C is 403).
 */
@ApiTags('intake')
@ApiSecurity('apiKey')
@Controller('v1')
@Roles('subsidiary:life', 'subsidiary:pnc', 'subsidiary:group')
export class IntakeController {
  constructor(private readonly http: IntakeHttp) {}

  @Post('clients')
  @IntakeRoute('RegisterClient')
  registerClient(@CurrentPrincipal() p: Principal, @Body() body: unknown, @Req() req: IntakeHttpRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.http.handle('RegisterClient', p, null, body, req, res);
  }

  @Put('clients/:localId')
  @IntakeRoute('UpdateClient')
  updateClient(@CurrentPrincipal() p: Principal, @Param('localId') localId: string, @Body() body: unknown, @Req() req: IntakeHttpRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.http.handle('UpdateClient', p, localId, body, req, res);
  }

  @Post('clients/:localId/consents')
  @IntakeRoute('ChangeConsent')
  changeConsent(@CurrentPrincipal() p: Principal, @Param('localId') localId: string, @Body() body: unknown, @Req() req: IntakeHttpRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.http.handle('ChangeConsent', p, localId, body, req, res);
  }

  @Post('relationships')
  @IntakeRoute('DeclareRelationship')
  declareRelationship(@CurrentPrincipal() p: Principal, @Body() body: unknown, @Req() req: IntakeHttpRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.http.handle('DeclareRelationship', p, null, body, req, res);
  }

  @Post('agents')
  @IntakeRoute('OnboardAgent')
  onboardAgent(@CurrentPrincipal() p: Principal, @Body() body: unknown, @Req() req: IntakeHttpRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.http.handle('OnboardAgent', p, null, body, req, res);
  }

  @Post('agents/:agentId/transfer')
  @IntakeRoute('TransferAgent')
  transferAgent(@CurrentPrincipal() p: Principal, @Param('agentId') agentId: string, @Body() body: unknown, @Req() req: IntakeHttpRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.http.handle('TransferAgent', p, agentId, body, req, res);
  }

  @Post('agents/:agentId/termination')
  @IntakeRoute('TerminateAgent')
  terminateAgent(@CurrentPrincipal() p: Principal, @Param('agentId') agentId: string, @Body() body: unknown, @Req() req: IntakeHttpRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.http.handle('TerminateAgent', p, agentId, body, req, res);
  }

  @Post('policies')
  @IntakeRoute('IssuePolicy')
  issuePolicy(@CurrentPrincipal() p: Principal, @Body() body: unknown, @Req() req: IntakeHttpRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.http.handle('IssuePolicy', p, null, body, req, res);
  }

  @Post('policies/:policyNo/renewals')
  @IntakeRoute('RenewPolicy')
  renewPolicy(@CurrentPrincipal() p: Principal, @Param('policyNo') policyNo: string, @Body() body: unknown, @Req() req: IntakeHttpRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.http.handle('RenewPolicy', p, policyNo, body, req, res);
  }

  @Post('policies/:policyNo/endorsements')
  @IntakeRoute('EndorsePolicy')
  endorsePolicy(@CurrentPrincipal() p: Principal, @Param('policyNo') policyNo: string, @Body() body: unknown, @Req() req: IntakeHttpRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.http.handle('EndorsePolicy', p, policyNo, body, req, res);
  }

  @Post('policies/:policyNo/cancellation')
  @IntakeRoute('CancelPolicy')
  cancelPolicy(@CurrentPrincipal() p: Principal, @Param('policyNo') policyNo: string, @Body() body: unknown, @Req() req: IntakeHttpRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.http.handle('CancelPolicy', p, policyNo, body, req, res);
  }

  @Post('policies/:policyNo/lapse')
  @IntakeRoute('LapsePolicy')
  lapsePolicy(@CurrentPrincipal() p: Principal, @Param('policyNo') policyNo: string, @Body() body: unknown, @Req() req: IntakeHttpRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.http.handle('LapsePolicy', p, policyNo, body, req, res);
  }

  @Post('policies/:policyNo/reinstatement')
  @IntakeRoute('ReinstatePolicy')
  reinstatePolicy(@CurrentPrincipal() p: Principal, @Param('policyNo') policyNo: string, @Body() body: unknown, @Req() req: IntakeHttpRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.http.handle('ReinstatePolicy', p, policyNo, body, req, res);
  }

  @Post('claims')
  @IntakeRoute('ReportClaim')
  reportClaim(@CurrentPrincipal() p: Principal, @Body() body: unknown, @Req() req: IntakeHttpRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.http.handle('ReportClaim', p, null, body, req, res);
  }

  @Post('claims/:claimNo/settlement')
  @IntakeRoute('SettleClaim')
  settleClaim(@CurrentPrincipal() p: Principal, @Param('claimNo') claimNo: string, @Body() body: unknown, @Req() req: IntakeHttpRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.http.handle('SettleClaim', p, claimNo, body, req, res);
  }

  @Post('referrals')
  @IntakeRoute('RegisterReferral')
  registerReferral(@CurrentPrincipal() p: Principal, @Body() body: unknown, @Req() req: IntakeHttpRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.http.handle('RegisterReferral', p, null, body, req, res);
  }

  @Post('activities')
  @IntakeRoute('LogActivity')
  logActivity(@CurrentPrincipal() p: Principal, @Body() body: unknown, @Req() req: IntakeHttpRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.http.handle('LogActivity', p, null, body, req, res);
  }
}
