import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { HeldMail } from './entities/held-mail.entity';

@Injectable()
export class HeldMailRepository {
  constructor(@InjectRepository(HeldMail) private readonly held: Repository<HeldMail>) {}

  findById(id: number): Promise<HeldMail | null> {
    return this.held.findOne({ where: { id } });
  }

  list(page: number, pageSize: number): Promise<[HeldMail[], number]> {
    return this.held.findAndCount({ where: { status: 'held' }, order: { receivedAt: 'DESC', id: 'DESC' }, skip: (page - 1) * pageSize, take: pageSize });
  }
}
