// Test glue: the Go-regex conversion now ships with the engine.
export { goRegexToJs, convertPatterns } from '../../lib/validation/go-regex';
