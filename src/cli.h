/* cli.h - command-line front end (kept out of main.c so tests can drive it). */
#ifndef RL_CLI_H
#define RL_CLI_H
/* Runs redislint with argv; returns the exit code (0 clean, 1 findings, 2 error). */
int cli_main(int argc, char **argv);
#endif
