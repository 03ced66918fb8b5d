#!/usr/bin/env node
// `npx cdk8s-paas check [paths…]`: the compiled CLI (lib/validation/cli.ts). Exit code from main().
'use strict';
process.exitCode = require('../build/lib/validation/cli.js').main(process.argv.slice(2));
