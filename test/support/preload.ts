// Loaded before every test file (bunfig.toml). Tests build their own Config; nothing leaks in from the shell.
process.env.TZ = 'Europe/Amsterdam';
