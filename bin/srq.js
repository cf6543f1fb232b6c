#!/usr/bin/env node
'use strict';
// NOTE: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script): the
// bundles scripts/bundle.js makes, loaded with a V8 code cache by ./load.js.
require('./load.js').loadCli().main(process.argv);
