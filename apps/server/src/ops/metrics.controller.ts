import { Controller, Get, Res } from '@nestjs/common';
import { Response } from 'express';
import { Access } from '../http/access.decorator';
import { MetricsService } from './metrics.service';

/** Prometheus text format, without sign-in like /healthz: counts only (bind HTTP_HOST accordingly). */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Access('public')
  async scrape(@Res() res: Response): Promise<void> {
    res.type(this.metrics.contentType).send(await this.metrics.render());
  }
}
