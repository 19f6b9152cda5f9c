import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { FaqEntry, FaqPromotionService, FaqSearchResult, FaqSearchService, FaqWorkflowService, parseJsonList, Replacement } from '@kkd/knowledge-base';
import { toJstIso } from '@kkd/core';
import { MemberIdentityService } from '@kkd/membership';
import { seesIdentity, StaffUser } from '@kkd/staff';
import { Access } from '../http/access.decorator';
import { CurrentUser } from '../http/current-user.decorator';
import { IdParam } from '../http/id-param.decorator';
import { FaqPromoteBody, FaqSearchQuery } from './faq.dto';

/** An entry's working copy; the replaced originals (member identity) only where asked for and audited. */
function entryView(e: FaqEntry, withOriginals = false) {
  const replacements = parseJsonList<Replacement>(e.replacements);
  return {
    id: e.id, status: e.status, category: e.category, title: e.title, question: e.question, answer: e.answer,
    liveVersion: e.liveVersion, keep: parseJsonList<string>(e.keepTerms), updatedAt: toJstIso(e.updatedAt),
    replacements: replacements.map((r) => (withOriginals ? r : { kind: r.kind, token: r.token })),
  };
}

const resultView = (r: FaqSearchResult) => ({
  id: r.id, version: r.version, category: r.category, title: r.title, question: r.question, answer: r.answer,
  publishedAt: toJstIso(r.publishedAt), score: r.score, highlight: r.highlight,
});

@Controller('api')
export class FaqApiController {
  constructor(
    private readonly promotion: FaqPromotionService,
    private readonly workflow: FaqWorkflowService,
    private readonly search: FaqSearchService,
    private readonly identity: MemberIdentityService,
  ) {}

  /** Drafts an anonymised FAQ entry from a resolved consult (201). */
  @Post('tickets/:number/faq')
  @Access('expert')
  async promote(@IdParam('number', 'consult') number: number, @Body() body: FaqPromoteBody, @CurrentUser() user: StaffUser) {
    return entryView(await this.promotion.promote(number, user, body.keep ?? []));
  }

  /** Published entries matching, best first; without q the newest first. */
  @Get('faq')
  @Access('expert')
  async list(@Query() query: FaqSearchQuery) {
    return { items: (await this.search.search(query)).map(resultView) };
  }

  @Get('faq/:id')
  @Access('expert')
  async show(@IdParam('id', 'faq entry') id: number, @CurrentUser() user: StaffUser) {
    const entry = await this.workflow.get(id);
    // Managers get the replaced originals (member identity): the view is audited.
    const source = seesIdentity(user) && entry.replacements !== '[]' ? await this.workflow.sourceMember(entry) : null;
    if (source) await this.identity.recordViews([source], user, 'api.faq', { faq: id });
    return entryView(entry, seesIdentity(user));
  }

  @Post('faq/:id/publish')
  @Access('manager')
  async publish(@IdParam('id', 'faq entry') id: number, @CurrentUser() user: StaffUser) {
    return entryView(await this.workflow.publish(id, user));
  }

  @Post('faq/:id/archive')
  @Access('manager')
  async archive(@IdParam('id', 'faq entry') id: number, @CurrentUser() user: StaffUser) {
    return entryView(await this.workflow.archive(id, user));
  }
}
