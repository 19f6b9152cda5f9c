import { Controller, Get, Query, Res } from '@nestjs/common';
import { Response } from 'express';
import { AssignmentService } from '@kkd/assignment';
import { Access } from '../http/access.decorator';
import { AssignmentPreviewQuery } from './api.dto';

@Controller('api/assignment')
export class AssignmentController {
  constructor(private readonly assignment: AssignmentService) {}

  /** Who the assignment rule would pick for a new consult of the category now, with every candidate. */
  @Get('preview')
  @Access('manager')
  async preview(@Query() query: AssignmentPreviewQuery, @Res({ passthrough: true }) res: Response) {
    const began = process.hrtime.bigint();
    const { choice, candidates } = await this.assignment.preview(query.category);
    // The decision's own time, apart from HTTP (the benchmark reads it).
    res.setHeader('Server-Timing', `decision;dur=${(Number(process.hrtime.bigint() - began) / 1e6).toFixed(2)}`);
    return {
      category: query.category, expert: choice.expert ? { id: choice.expert.id, name: choice.expert.name } : null, reason: choice.reason,
      candidates: candidates.map((c) => ({ id: c.id, name: c.name, load: c.load, capacity: c.capacity, absentUntil: c.absentUntil })),
    };
  }
}
