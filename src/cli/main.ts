#!/usr/bin/env node
import { Command } from 'commander';

const program = new Command('swixter').description('Local proxy gateway for AI coding assistants');
program.parse();
