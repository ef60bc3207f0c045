/**
 * The one rule for a template's parameters (common/templates/template-parameters.ts): what it
 * builds for Meta from what the agent filled in, every problem it finds, and reading a send's
 * components back to the same parameters.
 */
import { describe, expect, it } from 'vitest';
import type { StoredTemplate } from '../../common/templates/template.js';
import { fillVariables, variablesOf } from '../../common/templates/template.js';
import { buildTemplateComponents, headerMediaOfUpload, parametersOfComponents, TEMPLATE_LIMITS } from '../../common/templates/template-parameters.js';

type Template = Pick<StoredTemplate, 'parameterFormat' | 'components'>;

const orderUpdate: Template = {
  parameterFormat: 'POSITIONAL',
  components: {
    header: { format: 'TEXT', text: 'Order {{1}}', examples: ['A-100'] },
    body: { text: 'Hello {{1}}, your order {{2}} ships {{3}}.', examples: [] },
    footer: 'Shop Example',
    buttons: [
      { type: 'URL', text: 'Track', url: 'https://shop.example/track/{{1}}' },
      { type: 'QUICK_REPLY', text: 'Thanks' },
    ],
  },
};

const promotion: Template = {
  parameterFormat: 'NAMED',
  components: {
    header: { format: 'IMAGE' },
    body: { text: 'Hi {{first_name}}, use {{code}} today.', examples: [] },
    footer: null,
    buttons: [{ type: 'COPY_CODE', text: 'Copy code' }],
  },
};

const authentication: Template = {
  parameterFormat: 'POSITIONAL',
  components: {
    header: null,
    body: { text: '*{{1}}* is your verification code.', examples: [] },
    footer: null,
    buttons: [{ type: 'OTP', text: 'Copy code', otpType: 'COPY_CODE' }],
  },
};

describe('a template’s variables', () => {
  it('are read in order, each once, positional or named', () => {
    expect(variablesOf('{{1}} and {{2}} then {{1}}')).toEqual(['1', '2']);
    expect(variablesOf('Hi {{ first_name }}')).toEqual(['first_name']);
    expect(fillVariables('Hi {{1}}!', (name) => `<${name}>`)).toBe('Hi <1>!');
  });
});

describe('buildTemplateComponents', () => {
  it('builds header, body and the URL button’s suffix for a positional template', () => {
    const built = buildTemplateComponents(orderUpdate, { header: { 1: 'A-7' }, body: { 1: 'Ada', 2: 'A-7', 3: 'today' }, buttons: { 0: 'A-7' } });
    expect(built).toEqual({
      ok: true,
      components: [
        { type: 'header', parameters: [{ type: 'text', text: 'A-7' }] },
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Ada' },
            { type: 'text', text: 'A-7' },
            { type: 'text', text: 'today' },
          ],
        },
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'A-7' }] },
      ],
    });
  });

  it('names each parameter of a named template, and sends the image and the code to copy', () => {
    const built = buildTemplateComponents(promotion, {
      headerMedia: { kind: 'image', link: 'https://cdn.example/sale.jpg' },
      body: { first_name: 'Ada', code: 'SALE10' },
      buttons: { 0: 'SALE10' },
    });
    expect(built).toEqual({
      ok: true,
      components: [
        { type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example/sale.jpg' } }] },
        {
          type: 'body',
          parameters: [
            { type: 'text', parameter_name: 'first_name', text: 'Ada' },
            { type: 'text', parameter_name: 'code', text: 'SALE10' },
          ],
        },
        { type: 'button', sub_type: 'copy_code', index: '0', parameters: [{ type: 'coupon_code', coupon_code: 'SALE10' }] },
      ],
    });
  });

  it('sends an authentication code in the body and as the OTP button’s URL suffix', () => {
    const built = buildTemplateComponents(authentication, { body: { 1: '482913' }, buttons: { 0: '482913' } });
    expect(built.ok && built.components).toEqual([
      { type: 'body', parameters: [{ type: 'text', text: '482913' }] },
      { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '482913' }] },
    ]);
  });

  it('lists every missing parameter, by where it is', () => {
    const built = buildTemplateComponents(orderUpdate, { body: { 1: 'Ada', 2: '  ' } });
    expect(built).toEqual({
      ok: false,
      problems: [
        { at: 'header.1', problem: 'missing' },
        { at: 'body.2', problem: 'missing' },
        { at: 'body.3', problem: 'missing' },
        { at: 'button.0', problem: 'missing' },
      ],
    });
  });

  it('refuses a video where the header takes an image, and a header file the template has no place for', () => {
    const wrong = buildTemplateComponents(promotion, {
      headerMedia: { kind: 'video', attachmentId: 123 },
      body: { first_name: 'A', code: 'B' },
      buttons: { 0: 'C' },
    });
    expect(wrong).toEqual({ ok: false, problems: [{ at: 'header', problem: 'wrong_media', expected: 'image' }] });
    const missing = buildTemplateComponents(promotion, { body: { first_name: 'A', code: 'B' }, buttons: { 0: 'C' } });
    expect(missing).toEqual({ ok: false, problems: [{ at: 'header', problem: 'missing', expected: 'image' }] });
    const extra = buildTemplateComponents(authentication, { headerMedia: { kind: 'image', attachmentId: 1 }, body: { 1: '1' }, buttons: { 0: '1' } });
    expect(extra).toEqual({ ok: false, problems: [{ at: 'header', problem: 'unexpected' }] });
  });

  it('takes an uploaded file for a media header by its upload, never a Meta media id, and judges the file’s own kind', () => {
    const values = { body: { first_name: 'Ada', code: 'SALE10' }, buttons: { 0: 'SALE10' } };
    const built = buildTemplateComponents(promotion, {
      ...values,
      headerMedia: headerMediaOfUpload({ attachmentId: 42, kind: 'image', filename: 'sale.png' }),
    });
    expect(built.ok && built.components[0]).toEqual({ type: 'header', parameters: [{ type: 'image', image: {} }] });
    const audio = buildTemplateComponents(promotion, { ...values, headerMedia: headerMediaOfUpload({ attachmentId: 42, kind: 'audio' }) });
    expect(audio).toEqual({ ok: false, problems: [{ at: 'header', problem: 'wrong_media', expected: 'image' }] });
    const metaId = buildTemplateComponents(promotion, { ...values, headerMedia: { kind: 'image', id: '123456789012345' } as never });
    expect(metaId).toEqual({ ok: false, problems: [{ at: 'parameters', problem: 'unexpected' }] });
    const both = buildTemplateComponents(promotion, { ...values, headerMedia: { kind: 'image', attachmentId: 42, link: 'https://cdn.example/sale.jpg' } });
    expect(both).toEqual({ ok: false, problems: [{ at: 'parameters', problem: 'unexpected' }] });
  });

  it('refuses texts too long once filled, codes too long, line breaks and names the template does not have', () => {
    const longName = 'x'.repeat(TEMPLATE_LIMITS.headerText);
    const built = buildTemplateComponents(orderUpdate, {
      header: { 1: longName },
      body: { 1: 'Ada\nLovelace', 2: 'A', 3: 'B', 9: 'C' },
      buttons: { 0: 'A-7', 4: 'x' },
    });
    expect(built.ok).toBe(false);
    expect(!built.ok && built.problems).toEqual([
      { at: 'header', problem: 'too_long', limit: TEMPLATE_LIMITS.headerText },
      { at: 'body.1', problem: 'not_allowed' },
      { at: 'body.9', problem: 'unexpected' },
      { at: 'button.4', problem: 'unexpected' },
    ]);
    const code = buildTemplateComponents(authentication, { body: { 1: '1' }, buttons: { 0: '1'.repeat(TEMPLATE_LIMITS.code + 1) } });
    expect(!code.ok && code.problems).toEqual([{ at: 'button.0', problem: 'too_long', limit: TEMPLATE_LIMITS.code }]);
  });
});

describe('parametersOfComponents', () => {
  it('reads a built send back to the parameters that built it', () => {
    const input = {
      headerMedia: { kind: 'image' as const, link: 'https://cdn.example/sale.jpg' },
      body: { first_name: 'Ada', code: 'SALE10' },
      buttons: { 0: 'SALE10' },
    };
    const built = buildTemplateComponents(promotion, input);
    if (!built.ok) throw new Error('expected a build');
    expect(parametersOfComponents(promotion, built.components)).toEqual({ header: {}, ...input });
    const positional = buildTemplateComponents(orderUpdate, { header: { 1: 'A-7' }, body: { 1: 'Ada', 2: 'A-7', 3: 'today' }, buttons: { 0: 'A-7' } });
    if (!positional.ok) throw new Error('expected a build');
    expect(buildTemplateComponents(orderUpdate, parametersOfComponents(orderUpdate, positional.components))).toEqual(positional);
  });
});
