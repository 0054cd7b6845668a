/* options.c - defaults of a lint run. */
#include "options.h"

#include <string.h>

#include "rule.h"

void options_defaults(Options *self) {
  memset(self, 0, sizeof *self);
  self->th.hash_max_listpack_entries = 512;
  self->th.hash_max_listpack_value = 64;
  self->th.set_max_intset_entries = 512;
  self->th.set_max_listpack_entries = 128;
  self->th.set_max_listpack_value = 64;
  self->th.zset_max_listpack_entries = 128;
  self->th.zset_max_listpack_value = 64;
  self->th.list_max_listpack_size = -2;
  self->th.proto_max_bulk_len = 512LL * 1024 * 1024;
  self->th.blob_min_bytes = 1024;
  self->th.per_field_min_group = 3;
  self->default_ttl = 3600;
  self->lock_ttl = 30;
  self->socket_timeout = 5;
  self->block_timeout = 5;
  self->jobs = 1;
  for (size_t i = 0; i < rules_count() && i < 64; i++)
    self->enabled[i] = rules_at(i)->default_enabled;
}
