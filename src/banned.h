/* banned.h - force-included in every file of ours: unsafe libc calls do not
 * compile (use snprintf, memcpy with lengths, strtok_r, strtol). Included
 * after the system headers' declarations would be too late, so the macros
 * turn calls into references to an undeclared identifier. */
#ifndef RL_BANNED_H
#define RL_BANNED_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define strcpy(...) RL_BANNED_strcpy_use_memcpy_or_snprintf
#define strcat(...) RL_BANNED_strcat_use_snprintf
#define sprintf(...) RL_BANNED_sprintf_use_snprintf
#define vsprintf(...) RL_BANNED_vsprintf_use_vsnprintf
#define strtok(...) RL_BANNED_strtok_use_strtok_r
#define atoi(...) RL_BANNED_atoi_use_strtol
#define atol(...) RL_BANNED_atol_use_strtol
#define gets(...) RL_BANNED_gets
#endif
