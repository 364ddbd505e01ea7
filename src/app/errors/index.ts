// Errors the use-cases throw for their callers to present: input errors name a field of the request.
export { fieldMention, InputError, inputText, type FieldMention, type FieldSpelling, type InputErrorOptions, type InputErrorText } from './input-error.ts';
export { InvalidRequestError, type Problem } from './problems.ts';
