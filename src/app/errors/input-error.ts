// Input errors of the use-cases: which field of the request is wrong and why, in the request's own terms.
// Each front end spells fields its own way (the CLI as flags, an HTTP API as JSON pointers).

/** A field of the request named in an error's text. */
export interface FieldMention {
  readonly field: string;
}

/** An error's text: plain pieces and mentions of fields. */
export type InputErrorText = ReadonlyArray<string | FieldMention>;

/** How a front end spells a field of the request. */
export type FieldSpelling = (field: string) => string;

export function fieldMention(field: string): FieldMention {
  return { field };
}

/** A text from a template: interpolated FieldMentions stay mentions, anything else becomes text. */
export function inputText(strings: TemplateStringsArray, ...values: unknown[]): InputErrorText {
  const text: Array<string | FieldMention> = [];
  strings.forEach((piece, i) => {
    if (piece !== '') text.push(piece);
    if (i >= values.length) return;
    const value = values[i];
    text.push(isMention(value) ? value : String(value));
  });
  return text;
}

function isMention(value: unknown): value is FieldMention {
  return typeof value === 'object' && value !== null && typeof (value as FieldMention).field === 'string' && Object.keys(value).length === 1;
}

export function spell(text: InputErrorText, spelling: FieldSpelling): string {
  return text.map((piece) => (typeof piece === 'string' ? piece : spelling(piece.field))).join('');
}

export interface InputErrorOptions {
  /** The value refused, as the request had it (secrets removed). */
  readonly value?: unknown;
  readonly cause?: unknown;
}

/**
 * A request the use-case refuses: `field` names what is wrong. A plain string reads `<field>: <rule>`;
 * a text (see inputText) is the whole message and mentions the field where it reads best.
 * `message` spells fields as the request does; front ends call `describe` with their own spelling.
 */
export class InputError extends Error {
  override name = 'InputError';
  readonly field: string;
  readonly value: unknown;
  readonly text: InputErrorText;

  constructor(field: string, rule: string | InputErrorText, options: InputErrorOptions = {}) {
    const text = typeof rule === 'string' ? [fieldMention(field), `: ${rule}`] : rule;
    super(spell(text, (name) => name), options.cause === undefined ? undefined : { cause: options.cause });
    this.field = field;
    this.value = options.value;
    this.text = text;
  }

  describe(spelling: FieldSpelling): string {
    return spell(this.text, spelling);
  }
}
