// Demo use-case: a local exchange and a paper session against it, in one command.
export { runDemo } from './run-demo.ts';
