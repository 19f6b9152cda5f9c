import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { HeldMail, HeldStatus } from './entities/held-mail.entity';

@Injectable()
export class HeldMailRepository {
  constructor(@InjectRepository(HeldMail) private readonly held: Repository<HeldMail>) {}

  findById(id: number): Promise<HeldMail | null> {
    return this.held.findOne({ where: { id } });
  }

  /** Still held by default, newest received first; attached or discarded mail, last handled first. */
  list(page: number, pageSize: number, status: HeldStatus = 'held'): Promise<[HeldMail[], number]> {
    const order = status === 'held' ? { receivedAt: 'DESC', id: 'DESC' } as const : { handledAt: 'DESC', id: 'DESC' } as const;
    return this.held.findAndCount({ where: { status }, order, skip: (page - 1) * pageSize, take: pageSize });
  }
}
