import { Injectable } from '@nestjs/common';

/** The time source; tests replace it to fix "now". */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
