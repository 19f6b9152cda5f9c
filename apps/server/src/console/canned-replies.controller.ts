import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { CATEGORIES, CATEGORY_LABELS, Category } from '@kkd/consults';
import { ValidationError } from '@kkd/core';
import { CannedRepliesService, CannedReply, PLACEHOLDERS } from '@kkd/replies';
import { StaffUser } from '@kkd/staff';
import { Access } from '../http/access.decorator';
import { CurrentUser } from '../http/current-user.decorator';
import { IdParam } from '../http/id-param.decorator';
import { AuthedRequest } from '../http/request-context';
import { CannedReplyForm, SignatureForm } from './canned-replies.dto';
import { FieldErrors, validateForm } from './form-validation.util';

/** A template form as typed (kept when the page is shown again). */
interface TypedReply {
  category: string;
  title: string;
  body: string;
}

interface PageState {
  /** The add form (id null) or the template being edited, as typed. */
  typed?: { id: number | null; values: TypedReply };
  errors?: FieldErrors;
  signature?: string;
  signatureErrors?: FieldErrors;
  notice?: string;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const typedOf = (r: CannedReply): TypedReply => ({ category: r.category ?? '', title: r.title, body: r.body });

function categoryChoices(selected: string) {
  return [{ value: '', label: '共通（すべての分類）', selected: selected === '' }, ...CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c], selected: c === selected }))];
}

/** The templates by category, common ones first (the service's order), with their use. */
function groups(rows: CannedReply[]) {
  const out: { label: string; items: unknown[] }[] = [];
  let current: Category | null | undefined;
  for (const r of rows) {
    if (out.length === 0 || r.category !== current) {
      current = r.category;
      out.push({ label: r.category ? CATEGORY_LABELS[r.category] : '共通（すべての分類）', items: [] });
    }
    out[out.length - 1].items.push({ id: r.id, title: r.title, body: r.body, usageCount: r.usageCount, lastUsedAt: r.lastUsedAt, updatedAt: r.updatedAt });
  }
  return out;
}

/**
 * Canned replies (定型文) managers keep per category, with placeholders experts get filled in the
 * reply form, and the secretariat's signature every reply mail ends with.
 */
@Controller('canned-replies')
export class CannedRepliesController {
  constructor(private readonly replies: CannedRepliesService) {}

  @Get()
  @Access('manager')
  async list(@Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    await this.render(req, res, 200, {});
  }

  @Get(':id/edit')
  @Access('manager')
  async edit(@IdParam('id', 'canned reply') id: number, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    await this.render(req, res, 200, { typed: { id, values: typedOf(await this.replies.get(id)) } });
  }

  @Post()
  @Access('manager')
  async add(@Body() body: Record<string, unknown>, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    await this.submit(null, body, req, res);
  }

  /** Declared before ':id' so that "signature" is never read as a template id. */
  @Post('signature')
  @Access('manager')
  async signature(@Body() body: Record<string, unknown>, @CurrentUser() user: StaffUser, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const typed = text(body?.signature);
    const { value, errors } = validateForm(SignatureForm, body);
    if (errors) return this.render(req, res, 400, { signature: typed, signatureErrors: errors });
    try {
      await this.replies.setSignature(value.signature, user);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return this.render(req, res, 400, { signature: typed, signatureErrors: { signature: err.message } });
    }
    res.redirect(303, '/canned-replies?saved=signature#signature');
  }

  @Post(':id')
  @Access('manager')
  async update(@IdParam('id', 'canned reply') id: number, @Body() body: Record<string, unknown>, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    await this.replies.get(id); // 404 for a template deleted meanwhile
    await this.submit(id, body, req, res);
  }

  @Post(':id/delete')
  @Access('manager')
  async remove(@IdParam('id', 'canned reply') id: number, @Res() res: Response): Promise<void> {
    await this.replies.remove(id);
    res.redirect(303, '/canned-replies#list');
  }

  private async submit(id: number | null, body: Record<string, unknown>, req: AuthedRequest, res: Response): Promise<void> {
    const typed = { id, values: { category: text(body?.category), title: text(body?.title), body: text(body?.body) } };
    const { value, errors } = validateForm(CannedReplyForm, body);
    if (errors) return this.render(req, res, 400, { typed, errors });
    try {
      const input = { category: value.category ?? null, title: value.title, body: value.body };
      const saved = id === null ? await this.replies.add(input) : await this.replies.update(id, input);
      res.redirect(303, `/canned-replies#reply-${saved.id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await this.render(req, res, 400, { typed, errors: { [err.field]: err.message } });
    }
  }

  private async render(req: AuthedRequest, res: Response, status: number, state: PageState): Promise<void> {
    const [rows, signature] = await Promise.all([this.replies.list(), this.replies.signature()]);
    const editing = state.typed?.id ?? null;
    const values = state.typed?.values ?? { category: '', title: '', body: '' };
    res.status(status).render('canned-replies', {
      title: '定型文', user: req.user, csrfToken: req.csrfToken, count: rows.length, groups: groups(rows),
      placeholders: PLACEHOLDERS.map((p) => ({ token: `{${p.name}}`, meaning: p.meaning })),
      form: {
        editing, action: editing === null ? '/canned-replies' : `/canned-replies/${editing}`,
        title: values.title, body: values.body, categoryOptions: categoryChoices(values.category), errors: state.errors ?? {},
      },
      signature: state.signature ?? signature, signatureErrors: state.signatureErrors ?? {},
      signatureSaved: req.query?.saved === 'signature' && status === 200 && state.signature === undefined,
    });
  }
}
