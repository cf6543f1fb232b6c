'use strict';
// The entry of dist/srq-inquirer.js (scripts/bundle.js inquirerPlugin): @inquirer/prompts and
// what it pulls in (iconv-lite's code pages, chardet: ~0.8 MB), loaded only when srq prompts.
module.exports = require('@inquirer/prompts');
