/* hashslot.c - Redis Cluster hash slots (see hashslot.h). */
#include "hashslot.h"

void key_hash_part(const char *key, size_t len, size_t *start, size_t *n, bool *tagged) {
  *start = 0;
  *n = len;
  *tagged = false;
  size_t open = 0;
  while (open < len && key[open] != '{') open++;
  if (open == len) return;
  size_t close = open + 1;
  while (close < len && key[close] != '}') close++;
  if (close == len || close == open + 1) return; /* no `}`, or `{}`: the whole key */
  *start = open + 1;
  *n = close - open - 1;
  *tagged = true;
}

uint16_t crc16_xmodem(const char *s, size_t len) {
  uint16_t crc = 0;
  for (size_t i = 0; i < len; i++) {
    crc ^= (uint16_t)((uint8_t)s[i] << 8);
    for (int b = 0; b < 8; b++) crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
  }
  return crc;
}

unsigned key_hash_slot(const char *key, size_t len) {
  size_t start, n;
  bool tagged;
  key_hash_part(key, len, &start, &n, &tagged);
  return crc16_xmodem(key + start, n) & (HASH_SLOTS - 1);
}
