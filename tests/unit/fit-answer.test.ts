import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fitAnswer, RESULT_FILE } from '../../bot/shared/fit-answer.ts';
import type { Answer } from '../../commands/index.ts';

const picture = { name: 'labelled-1.jpg', contentType: 'image/jpeg', bytes: Buffer.alloc(1000) };
const telegram = { messageLength: 4096, captionLength: 1024, uploadBytes: 50_000 };
const discord = { messageLength: 2000, captionLength: undefined, uploadBytes: 50_000 };

describe('fitting an answer to a platform', () => {
  test('a short answer with a picture goes whole, as the caption where the platform has captions', () => {
    const answer: Answer = { text: 'Jennie (91%), Lisa (88%)', files: [picture] };
    assert.deepEqual(fitAnswer(answer, telegram), { text: answer.text, asCaption: true, files: [picture], reviewId: undefined });
    assert.equal(fitAnswer(answer, discord).asCaption, false);
  });

  test('a text over the caption length but within a message is a message of its own, not cut', () => {
    const text = 'x'.repeat(1500);
    const fitted = fitAnswer({ text, files: [picture] }, telegram);
    assert.deepEqual([fitted.text, fitted.asCaption, fitted.files.map((file) => file.name)], [text, false, ['labelled-1.jpg']]);
  });

  test('a text over the message length is cut at a line end and comes whole as result.txt, beside the files', () => {
    const text = Array.from({ length: 500 }, (_, index) => `face ${index}: unknown`).join('\n');
    for (const limits of [telegram, discord]) {
      const fitted = fitAnswer({ text, files: [picture] }, limits);
      assert.ok(fitted.text.length <= limits.messageLength);
      assert.match(fitted.text, /\n… \(the whole result is in result\.txt\)$/);
      assert.deepEqual(fitted.files.map((file) => file.name), ['labelled-1.jpg', RESULT_FILE]);
      const whole = fitted.files[1];
      assert.equal(whole !== undefined && 'bytes' in whole ? whole.bytes.toString('utf8') : '', text);
    }
  });

  test('a file over the upload limit is left out and the text says so; the review buttons stay', () => {
    const clip = { name: 'labelled.mp4', contentType: 'video/mp4', video: true, path: '/tmp/x.mp4', size: 60_000 };
    const fitted = fitAnswer({ text: 'Jisoo 12.0 s', files: [clip, picture], reviewId: 'a1b2c3d4' }, telegram);
    assert.deepEqual(fitted, { text: 'Jisoo 12.0 s\n(labelled.mp4 is too large to upload here.)', asCaption: true, files: [picture], reviewId: 'a1b2c3d4' });
  });
});
