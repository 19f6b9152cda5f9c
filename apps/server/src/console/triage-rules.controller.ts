import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { CATEGORIES, CATEGORY_LABELS, PRIORITIES, PRIORITY_LABELS } from '@kkd/consults';
import { NotFoundError, ValidationError } from '@kkd/core';
import { TriagePreviewRow, TriageResult, TriageRuleInput, TriageRuleRow, TriageService } from '@kkd/triage';
import { Access } from '../http/access.decorator';
import { IdParam } from '../http/id-param.decorator';
import { AuthedRequest } from '../http/request-context';
import { FieldErrors, validateForm } from './form-validation.util';
import { TriageRuleForm } from './triage-rules.dto';

/** How many recent consults a preview runs the rules on. */
const PREVIEW_SIZE = 50;

/** A rule form as typed (kept when the page is shown again). */
interface TypedRule {
  term: string;
  category: string;
  priority: string;
  weight: string;
}

interface RulesPageState {
  /** The add form, or the rule being edited (by id), as typed. */
  typed?: { id: number | null; values: TypedRule };
  errors?: FieldErrors;
  preview?: { mode: 'change' | 'current'; rows: TriagePreviewRow[]; what?: string; anchor?: string };
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

function options(codes: readonly string[], labels: Record<string, string>, none: string, selected: string) {
  return [{ value: '', label: none, selected: selected === '' }, ...codes.map((c) => ({ value: c, label: labels[c] ?? c, selected: c === selected }))];
}

function ruleForm(values: TypedRule) {
  return {
    term: values.term, weight: values.weight,
    categoryOptions: options(CATEGORIES, CATEGORY_LABELS, '（分類なし）', values.category),
    priorityOptions: options(PRIORITIES, PRIORITY_LABELS, '（優先度なし）', values.priority),
  };
}

const typedOf = (r: TriageRuleRow): TypedRule => ({ term: r.term, category: r.category ?? '', priority: r.priority ?? '', weight: String(r.weight) });

/** The rules by category, in the vocabulary's order, the rules with no category last. */
function ruleGroups(rules: TriageRuleRow[], state: RulesPageState) {
  const order = (c: string | null) => (c === null ? CATEGORIES.length : CATEGORIES.indexOf(c as (typeof CATEGORIES)[number]));
  const priorityOrder = (p: string | null) => (p === null ? PRIORITIES.length : PRIORITIES.indexOf(p as (typeof PRIORITIES)[number]));
  const sorted = [...rules].sort((a, b) => order(a.category) - order(b.category) || priorityOrder(a.priority) - priorityOrder(b.priority)
    || b.weight - a.weight || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0) || a.id - b.id);
  const groups: { label: string; rules: unknown[] }[] = [];
  let current: string | null | undefined;
  for (const rule of sorted) {
    if (rule.category !== current || groups.length === 0) {
      current = rule.category;
      groups.push({ label: rule.category ? CATEGORY_LABELS[rule.category] : '分類なし（優先度のみ）', rules: [] });
    }
    const editing = state.typed?.id === rule.id;
    const errors = editing ? state.errors : undefined;
    groups[groups.length - 1].rules.push({
      id: rule.id, editing, errors, errorMessages: errors ? Object.values(errors) : [],
      ...ruleForm(editing ? state.typed!.values : typedOf(rule)),
    });
  }
  return groups;
}

const resultLabel = (r: TriageResult) => `${CATEGORY_LABELS[r.category]}・${PRIORITY_LABELS[r.priority]}`;
const matchLabel = (r: TriageResult) => r.matches.slice(0, 6).map((m) => `「${m.term}」${m.field === 'subject' ? '件名' : '本文'}`).join('、');

function previewView(preview: NonNullable<RulesPageState['preview']>) {
  return {
    mode: preview.mode, isChange: preview.mode === 'change', total: preview.rows.length, what: preview.what, anchor: preview.anchor,
    changedCount: preview.rows.filter((r) => r.changed).length,
    rows: preview.rows.map((r) => ({
      number: r.number, subject: r.subject, changed: r.changed,
      current: resultLabel(r.current), proposed: resultLabel(r.proposed),
      terms: matchLabel(preview.mode === 'change' ? r.proposed : r.current),
    })),
  };
}

/**
 * The triage rules managers edit: weighted terms for a category and/or a priority. A change can be
 * previewed on the recent consults before it is saved.
 */
@Controller('triage/rules')
export class TriageRulesController {
  constructor(private readonly triage: TriageService) {}

  @Get()
  @Access('manager')
  async list(@Query('preview') preview: string | undefined, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    await this.render(req, res, 200, preview === '1' ? { preview: { mode: 'current', rows: await this.triage.preview({}, PREVIEW_SIZE) } } : {});
  }

  @Post()
  @Access('manager')
  async add(@Body() body: Record<string, unknown>, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    await this.submit(null, body, req, res);
  }

  @Post(':id')
  @Access('manager')
  async update(@IdParam('id', 'triage rule') id: number, @Body() body: Record<string, unknown>, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    if (!(await this.triage.list()).some((r) => r.id === id)) throw new NotFoundError('triage rule', id);
    await this.submit(id, body, req, res);
  }

  @Post(':id/delete')
  @Access('manager')
  async remove(@IdParam('id', 'triage rule') id: number, @Res() res: Response): Promise<void> {
    await this.triage.remove(id);
    res.redirect(303, '/triage/rules');
  }

  /** Preview (nothing saved, the form keeps what was typed) unless the save button was pressed. */
  private async submit(id: number | null, body: Record<string, unknown>, req: AuthedRequest, res: Response): Promise<void> {
    const typed = { id, values: { term: text(body?.term), category: text(body?.category), priority: text(body?.priority), weight: text(body?.weight) } };
    const { value, errors } = validateForm(TriageRuleForm, body);
    if (errors) return this.render(req, res, 400, { typed, errors });
    const input: TriageRuleInput = { term: value.term, category: value.category ?? null, priority: value.priority ?? null, weight: value.weight };
    try {
      if (value.action === 'save') {
        const saved = id === null ? await this.triage.add(input) : await this.triage.update(id, input);
        return res.redirect(303, `/triage/rules#rule-${saved.id}`);
      }
      const rows = await this.triage.preview(id === null ? { add: input } : { add: input, replaceId: id }, PREVIEW_SIZE);
      const what = id === null ? `新しいルール「${input.term}」の追加` : `ルール「${input.term}」の変更`;
      await this.render(req, res, 200, { typed, preview: { mode: 'change', rows, what, anchor: id === null ? 'add' : `rule-${id}` } });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await this.render(req, res, 400, { typed, errors: { [err.field]: err.message } });
    }
  }

  private async render(req: AuthedRequest, res: Response, status: number, state: RulesPageState): Promise<void> {
    const rules = await this.triage.list();
    const adding = state.typed && state.typed.id === null;
    res.status(status).render('triage-rules', {
      title: '分類ルール', user: req.user, csrfToken: req.csrfToken, count: rules.length,
      groups: ruleGroups(rules, state),
      addForm: ruleForm(adding ? state.typed!.values : { term: '', category: '', priority: '', weight: '1' }),
      addErrors: adding ? state.errors : undefined,
      editingId: state.typed?.id ?? null,
      preview: state.preview ? previewView(state.preview) : null,
    });
  }
}
