import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { AssignmentService } from '@kkd/assignment';
import { ConsultRepository } from '@kkd/consults';
import { Clock, NotFoundError, ValidationError } from '@kkd/core';
import { AbsenceService, skillsOf, StaffService } from '@kkd/staff';
import { Access } from '../http/access.decorator';
import { IdParam } from '../http/id-param.decorator';
import { AuthedRequest } from '../http/request-context';
import { AbsenceForm, ExpertProfileForm, ReassignAllForm } from './experts.dto';
import { expertPage, ProfileFormValues, rosterRows } from './experts.view-model';
import { FieldErrors, validateForm } from './form-validation.util';

/** The service's field names, as the absence form names them. */
const ABSENCE_FIELDS: Record<string, string> = { startsOn: 'starts_on', endsOn: 'ends_on' };

interface ExpertForms {
  profileErrors?: FieldErrors;
  profile?: ProfileFormValues;
  absenceErrors?: FieldErrors;
  absenceForm?: { starts_on: string; ends_on: string; note: string };
  reassignErrors?: FieldErrors;
  reason?: string;
  done?: { moved: number; unassigned: number };
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const count = (value: string | undefined) => (value !== undefined && /^\d{1,6}$/.test(value) ? Number(value) : null);

/**
 * The team: everyone sees who takes consults, their skills, load and absences; managers edit a
 * profile, record absences and send an expert's open consults back through the assignment rule.
 */
@Controller('experts')
export class ExpertsController {
  constructor(
    private readonly assignment: AssignmentService,
    private readonly staff: StaffService,
    private readonly absences: AbsenceService,
    private readonly consults: ConsultRepository,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Access('expert')
  async list(@Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const roster = await this.assignment.roster();
    res.render('experts', {
      title: '担当者', user: req.user, csrfToken: req.csrfToken,
      canEdit: req.user!.role !== 'expert', experts: rosterRows(roster),
    });
  }

  @Get(':id')
  @Access('manager')
  async show(
    @IdParam('id', 'staff user') id: number, @Query('moved') moved: string | undefined, @Query('unassigned') unassigned: string | undefined,
    @Req() req: AuthedRequest, @Res() res: Response,
  ): Promise<void> {
    const m = count(moved);
    const u = count(unassigned);
    await this.render(id, req, res, 200, m !== null && u !== null ? { done: { moved: m, unassigned: u } } : {});
  }

  @Post(':id/profile')
  @Access('manager')
  async saveProfile(@IdParam('id', 'staff user') id: number, @Body() body: Record<string, unknown>, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const { value, errors } = validateForm(ExpertProfileForm, body);
    const typed: ProfileFormValues = {
      skills: ([] as unknown[]).concat(body?.skills ?? []).filter((s): s is string => typeof s === 'string'),
      capacity: text(body?.capacity), active: body?.active === 'on', newConsultNotice: text(body?.newConsultNotice),
    };
    if (errors) return this.render(id, req, res, 400, { profileErrors: errors, profile: typed });
    // Managers and admins are switched on and off by an admin (/staff), not by a manager here.
    const target = await this.staff.findById(id);
    if (target && target.role !== 'expert' && req.user!.role !== 'admin' && target.active !== typed.active) {
      return this.render(id, req, res, 403, { profileErrors: { active: 'マネージャーと管理者のアカウントの有効・無効は、管理者がスタッフアカウント画面で変更します。' }, profile: typed });
    }
    try {
      await this.staff.updateProfile(id, { skills: value.skills ?? [], capacity: value.capacity, active: value.active === 'on', newConsultNotice: value.newConsultNotice }, req.user!);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return this.render(id, req, res, 400, { profileErrors: { [err.field]: err.message }, profile: typed });
    }
    res.redirect(303, `/experts/${id}`);
  }

  @Post(':id/absences')
  @Access('manager')
  async addAbsence(@IdParam('id', 'staff user') id: number, @Body() body: Record<string, unknown>, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const { value, errors } = validateForm(AbsenceForm, body);
    const absenceForm = { starts_on: text(body?.starts_on), ends_on: text(body?.ends_on), note: text(body?.note) };
    if (errors) return this.render(id, req, res, 400, { absenceErrors: errors, absenceForm });
    try {
      await this.absences.add(id, value.starts_on, value.ends_on, value.note?.trim() || null);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return this.render(id, req, res, 400, { absenceErrors: { [ABSENCE_FIELDS[err.field] ?? err.field]: err.message }, absenceForm });
    }
    res.redirect(303, `/experts/${id}#absences`);
  }

  @Post(':id/absences/:absenceId/delete')
  @Access('manager')
  async removeAbsence(@IdParam('id', 'staff user') id: number, @IdParam('absenceId', 'absence') absenceId: number, @Res() res: Response): Promise<void> {
    // Only an absence of this person, as listed on their page.
    if (!(await this.absences.current([id])).some((a) => a.id === absenceId)) throw new NotFoundError('absence', absenceId);
    await this.absences.remove(absenceId);
    res.redirect(303, `/experts/${id}#absences`);
  }

  @Post(':id/reassign-all')
  @Access('manager')
  async reassignAll(@IdParam('id', 'staff user') id: number, @Body() body: Record<string, unknown>, @Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const { value, errors } = validateForm(ReassignAllForm, body);
    const reason = text(body?.reason);
    if (errors) return this.render(id, req, res, 400, { reassignErrors: errors, reason });
    try {
      const { moved, unassigned } = await this.assignment.bulkReassignFrom(id, value.reason, req.user!);
      res.redirect(303, `/experts/${id}?moved=${moved}&unassigned=${unassigned}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return this.render(id, req, res, 400, { reassignErrors: { [err.field]: err.message }, reason });
    }
  }

  private async render(id: number, req: AuthedRequest, res: Response, status: number, forms: ExpertForms): Promise<void> {
    const user = await this.staff.findById(id);
    if (!user) throw new NotFoundError('staff user', id);
    const [loads, absentNow, absences] = await Promise.all([
      this.consults.openLoads([id]), this.absences.absentAt(this.clock.now()), this.absences.current([id]),
    ]);
    const skills = skillsOf(user);
    const profile = forms.profile ?? { skills, capacity: String(user.capacity), active: user.active, newConsultNotice: user.newConsultNotice };
    res.status(status).render('expert', {
      title: `担当者: ${user.name}`, user: req.user, csrfToken: req.csrfToken,
      ...expertPage(user, skills, loads.get(id) ?? 0, absentNow.get(id) ?? null, absences, profile),
      profileErrors: forms.profileErrors, absenceErrors: forms.absenceErrors,
      absenceForm: forms.absenceForm ?? { starts_on: '', ends_on: '', note: '' },
      reassignErrors: forms.reassignErrors, reason: forms.reason ?? '', done: forms.done,
    });
  }
}
