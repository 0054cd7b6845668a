/* hashslot.h - Redis Cluster key hash slots: CRC16 (XMODEM) of the key, or
 * of its hash tag, modulo 16384. */
#ifndef RL_HASHSLOT_H
#define RL_HASHSLOT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HASH_SLOTS 16384

/* The part of a key Redis hashes: the text between the first `{` and the
 * next `}` when that is non-empty, else the whole key. *tagged says which. */
void key_hash_part(const char *key, size_t len, size_t *start, size_t *n, bool *tagged);

/* CRC16-XMODEM (polynomial 0x1021, initial 0), as Redis Cluster uses. */
uint16_t crc16_xmodem(const char *s, size_t len);

/* The hash slot of a key: 0..16383. */
unsigned key_hash_slot(const char *key, size_t len);
#endif
