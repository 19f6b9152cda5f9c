import { Controller, Get, GoneException, NotFoundException, Res } from '@nestjs/common';
import { Response } from 'express';
import { ConsultRepository } from '@kkd/consults';
import { MailStore } from '@kkd/inbox';
import { IdentityMaskService, maskFileName } from '@kkd/membership';
import { seesIdentity, StaffUser } from '@kkd/staff';
import { Access } from '../http/access.decorator';
import { CurrentUser } from '../http/current-user.decorator';
import { IdParam } from '../http/id-param.decorator';

/** Member files, to staff only, always as downloads: never rendered in the console's origin. */
@Controller('attachments')
export class AttachmentController {
  constructor(private readonly consults: ConsultRepository, private readonly store: MailStore, private readonly masks: IdentityMaskService) {}

  @Get(':id')
  @Access('expert')
  async download(@IdParam('id', 'attachment') id: number, @CurrentUser() user: StaffUser, @Res() res: Response): Promise<void> {
    // An expert's download is named as the consult page names it, masked.
    const attachment = await this.consults.findAttachment(id);
    if (!attachment) throw new NotFoundException();
    // An old link (a bookmark, a page opened before the deletion) says why instead of failing on the missing file.
    if (attachment.deletedAt) throw new GoneException('この添付ファイルは保存期間を過ぎたため削除されました。');
    const content = await this.store.read(attachment.storagePath);
    const filename = seesIdentity(user) ? attachment.filename : maskFileName(attachment.filename, await this.masks.maskerFor(attachment.message.consult.memberId));
    const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.send(content);
  }
}
