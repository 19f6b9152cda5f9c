import { Injectable } from '@nestjs/common';
import fs from 'fs';
import Handlebars from 'handlebars';
import { templatesDir } from '@kkd/core';

export type MailTemplateName = 'acknowledgement' | 'reply' | 'sla-at-risk' | 'sla-breached' | 'encrypted-attachment'
  | 'held-unknown-sender' | 'held-contract' | 'assigned' | 'unassigned' | 'contract-reminder'
  | 'new-consult' | 'new-consult-digest';

/**
 * Plain-text mail templates under templates/mail, compiled once, strict (a missing variable is an
 * error, not an empty string). No HTML escaping: the output is text/plain.
 */
@Injectable()
export class MailTemplates {
  private readonly compiled = new Map<MailTemplateName, Handlebars.TemplateDelegate>();

  render(name: MailTemplateName, context: Record<string, unknown>): string {
    let template = this.compiled.get(name);
    if (!template) {
      const source = fs.readFileSync(templatesDir('mail', `${name}.hbs`), 'utf8');
      template = Handlebars.compile(source, { strict: true, noEscape: true });
      this.compiled.set(name, template);
    }
    return template(context).replace(/\r?\n/g, '\r\n');
  }
}
